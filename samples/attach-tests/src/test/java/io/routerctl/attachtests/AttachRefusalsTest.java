package io.routerctl.attachtests;

import io.routerctl.attachtests.ServiceProcess.Netty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Each reason routerctl attach cannot attach is exit 3 with its own one-line reason, and harms nothing. */
class AttachRefusalsTest {

    @TempDir
    Path attachDir;

    @Test
    void noSuchProcess() {
        Cli.Result r = new Cli(attachDir).run("attach", "999999999");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.err().strip()).isEqualTo("routerctl attach: no process 999999999");
    }

    @Test
    void aProcessThatIsNotAJvm() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            Cli.Result r = new Cli(attachDir).run("attach", Long.toString(sleep.pid()));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.err().strip()).isEqualTo("routerctl attach: process " + sleep.pid()
                    + " is not a Java virtual machine (no libjvm.so mapped)");
            assertThat(sleep.isAlive()).as("a non-JVM must not be sent the attach signal").isTrue();
        } finally {
            sleep.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aJvmStartedWithAttachDisabled() throws Exception {
        try (ServiceProcess s = ServiceProcess.start(AttachToTicketServiceTest.MAIN, Netty.V4_2, attachDir,
                List.of("-XX:+DisableAttachMechanism"))) {
            Cli.Result r = new Cli(attachDir).run("attach", Long.toString(s.pid()));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.err()).contains("-XX:+DisableAttachMechanism", "-javaagent");
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(s.isAlive()).isTrue();
        }
    }

    @Test
    void aJvmWithoutNetty() throws Exception {
        try (ServiceProcess s = ServiceProcess.start("com.example.tickets.NoNetty", Netty.V4_2, attachDir, List.of())) {
            Cli.Result r = new Cli(attachDir).run("attach", Long.toString(s.pid()));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.err().strip()).startsWith("routerctl attach: no Netty in " + s.pid() + ":");
            assertThat(attachDir.resolve(s.pid() + ".sock")).doesNotExist();
            assertThat(s.isAlive()).isTrue();
        }
    }
}
