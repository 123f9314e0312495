package io.routerctl.attachtests;

import io.routerctl.attachtests.ServiceProcess.Netty;
import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.TargetErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A JVM stopped with SIGSTOP, as an operator meets one (a debugger, a paused container): no
 * command hangs on it, each gives up within its timeout with one line and exit 3, no signal is left
 * queued for it, and a detach that reached it while it was stopped is not applied when it continues.
 */
class StoppedJvmTest {

    @TempDir
    Path attachDir;

    @Test
    void attachToAStoppedJvmIsRefusedAtOnceAndLeavesNoSignalQueued() throws Exception {
        try (ServiceProcess s = ServiceProcess.start(AttachToTicketServiceTest.MAIN, Netty.V4_2, attachDir, List.of());
             Clients clients = new Clients(s.port())) {
            signal("STOP", s.pid());
            try {
                long start = System.nanoTime();
                Cli.Result r = new Cli(attachDir).run("attach", Long.toString(s.pid()));
                assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
                assertThat(r.err().strip()).isEqualTo("routerctl attach: process " + s.pid() + " is stopped (state T: "
                        + "SIGSTOP, or a debugger); continue it (kill -CONT " + s.pid() + ") and try again");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            } finally {
                signal("CONT", s.pid());
            }
            assertThat(clients.ask("/after", "fresh")).isEqualTo("HTTP/1.1 200 OK");
            assertThat(s.output()).as("no thread dump printed: no SIGQUIT was left for it").doesNotContain("Full thread dump");
            assertThat(new FromOutside(s.pid(), attachDir).routerctlThreads()).isEmpty();
        }
    }

    @Test
    void commandsOnAnAttachedJvmThatStoppedGiveUpWithinTheirTimeout() throws Exception {
        Cli cli = new Cli(attachDir);
        try (ServiceProcess s = ServiceProcess.start(AttachToTicketServiceTest.MAIN, Netty.V4_2, attachDir, List.of());
             Clients clients = new Clients(s.port())) {
            String pid = Long.toString(s.pid());
            assertThat(cli.run("attach", pid).exitCode()).isZero();
            signal("STOP", s.pid());
            try {
                for (List<String> command : List.of(List.of("dump-stuck", "--pid", pid, "--timeout", "2s"),
                        List.of("loops", "--pid", pid, "--timeout", "2s"), List.of("list", "--timeout", "2s"),
                        List.of("detach", pid, "--timeout", "2s"), List.of("attach", pid, "--timeout", "2s"))) {
                    long start = System.nanoTime();
                    Cli.Result r = cli.run(command.toArray(String[]::new));
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    assertThat(took).as("%s took %s", command, took).isLessThan(Duration.ofSeconds(12));
                    if (!command.get(0).equals("list")) {
                        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
                        assertThat(r.err().strip()).as(r.toString()).hasLineCount(1);
                    } else {
                        assertThat(r.out()).as(r.toString()).contains("not answering");
                    }
                }
            } finally {
                signal("CONT", s.pid());
            }
            Cli.Result after = cli.run("dump-stuck", "--pid", pid);
            assertThat(after.exitCode()).as("still attached, the refused detach not applied: " + after).isZero();
            assertThat(clients.ask("/after", "fresh")).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aDetachThatReachedTheJvmWhileItWasStoppedIsNotAppliedWhenItContinues() throws Exception {
        Cli cli = new Cli(attachDir);
        try (ServiceProcess s = ServiceProcess.start(AttachToTicketServiceTest.MAIN, Netty.V4_2, attachDir, List.of())) {
            String pid = Long.toString(s.pid());
            assertThat(cli.run("attach", pid).exitCode()).isZero();
            Path socket = attachDir.resolve(pid + ".sock");
            try (AttachClient client = AttachClient.connect(socket, Duration.ofSeconds(5), Duration.ofSeconds(2))) {
                signal("STOP", s.pid());
                try {
                    // Sent to a stopped process: the kernel takes it, nobody reads it.
                    assertThatThrownBy(() -> client.detach(System.currentTimeMillis() + 1_000))
                            .isInstanceOf(AttachException.class).hasMessageContaining("did not answer detach");
                } finally {
                    signal("CONT", s.pid());
                }
            } catch (TargetErrorException e) {
                throw new AssertionError(e);
            }
            // It read the request on waking, found it past its deadline, and stayed attached.
            Poll.until(Duration.ofSeconds(10), "the target to answer again", () -> {
                Cli.Result r = cli.run("dump-stuck", "--pid", pid, "--timeout", "2s");
                return r.exitCode() == 0;
            });
            assertThat(socket).exists();
            Cli.Result loops = cli.run("loops", "--pid", pid);
            assertThat(loops.out()).contains("routerctl in this process: agent");
        }
    }

    static void signal(String name, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }
}
