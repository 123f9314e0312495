package io.routerctl.attachtests;

import io.routerctl.attachtests.ServiceProcess.Netty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
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

    /**
     * Another user's JVM, as a user would meet it: alice's service, mallory running routerctl (the
     * real launcher's jar, as mallory). Needs root to make the users, as CI has.
     */
    @Test
    void anotherUsersJvm() throws Exception {
        Assumptions.assumeTrue(OsUser.available(), "needs root, useradd and setpriv to run a JVM as two other users");
        OsUser alice = OsUser.of("rctl-alice");
        OsUser mallory = OsUser.of("rctl-mallory");
        Path shared = Files.createTempDirectory("routerctl-attach-users-");
        Path classes = shared.resolve("classes/com/example/tickets");
        Files.createDirectories(classes);
        Files.copy(Path.of("target/test-classes/com/example/tickets/NoNetty.class"), classes.resolve("NoNetty.class"));
        Files.copy(Path.of(System.getProperty("attachtests.console")), shared.resolve("routerctl.jar"));
        try (Stream<Path> all = Files.walk(shared)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process service = new ProcessBuilder(alice.run(List.of(java, "-Xmx64m", "-cp", shared.resolve("classes").toString(),
                "com.example.tickets.NoNetty"))).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("listening on 0");
            Process console = new ProcessBuilder(mallory.run(List.of(java, "-jar", shared.resolve("routerctl.jar").toString(),
                    "attach", Long.toString(service.pid())))).redirectErrorStream(true).start();
            String said = new String(console.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(console.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(console.exitValue()).as(said).isEqualTo(3);
            assertThat(said).isEqualTo("routerctl attach: process " + service.pid() + " belongs to uid " + alice.uid()
                    + "; routerctl attaches only to its own user's JVMs (run it as that user)");
            assertThat(service.isAlive()).isTrue();
        } finally {
            service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aJvmWithoutNetty() throws Exception {
        try (ServiceProcess s = ServiceProcess.start("com.example.tickets.NoNetty", Netty.V4_2, attachDir, List.of())) {
            Cli.Result r = new Cli(attachDir).run("attach", Long.toString(s.pid()));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.err().strip()).isEqualTo("routerctl attach: no Netty in " + s.pid() + ": this JVM has loaded "
                    + "no Netty channel classes (io.netty.channel); nothing was loaded into it");
            assertThat(attachDir.resolve(s.pid() + ".sock")).doesNotExist();
            // Decided before anything was loaded: no agent, no routerctl class, no property of ours.
            FromOutside outside = new FromOutside(s.pid(), work);
            assertThat(outside.jcmd("VM.class_hierarchy")).doesNotContain("io.routerctl", "sun.instrument");
            assertThat(outside.jcmd("VM.system_properties")).doesNotContain("routerctl");
            assertThat(s.output().strip()).as("nothing printed by an agent").isEqualTo("listening on 0");
            assertThat(s.isAlive()).isTrue();
        }
    }

    @Test
    void aJvmWhoseNettyPredates41() throws Exception {
        try (ServiceProcess s = ServiceProcess.start("com.example.tickets.PipelineOnly", Netty.V4_2, attachDir, List.of())) {
            FromOutside outside = new FromOutside(s.pid(), work);
            assertThat(outside.jcmd("VM.class_hierarchy")).as("the JVM looks like one on Netty 4.0")
                    .contains("io.netty.channel.DefaultChannelPipeline/").doesNotContain("ChannelHandlerMask");
            Cli.Result r = new Cli(attachDir).run("attach", Long.toString(s.pid()));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.err().strip()).isEqualTo("routerctl attach: the Netty in " + s.pid() + " is older than 4.1 "
                    + "(it has no io.netty.channel.ChannelHandlerMask); routerctl needs Netty 4.1 or 4.2; nothing was "
                    + "loaded into it");
            assertThat(outside.jcmd("VM.class_hierarchy")).doesNotContain("io.routerctl", "sun.instrument");
            assertThat(s.isAlive()).isTrue();
        }
    }

    @TempDir
    Path work;

    /** At start-up, an agent in a JVM that never makes a Netty channel says so once, on stderr. */
    @Test
    void aJavaagentThatFindsNothingToTrackSaysSo() throws Exception {
        String agent = "-javaagent:" + System.getProperty("routerctl.agent.jar");
        try (ServiceProcess s = ServiceProcess.start("com.example.tickets.NoNetty", Netty.V4_2, attachDir,
                List.of(agent, "-Drouterctl.agent.quietMs=300"))) {
            Poll.until(Duration.ofSeconds(20), "the agent's line", () -> s.output().contains("routerctl agent:"));
            assertThat(s.output()).contains("routerctl agent: no Netty channel in 300ms, nothing tracked yet "
                    + "(tracking starts with the first one; socket " + attachDir.resolve(s.pid() + ".sock") + ")");
            assertThat(s.output().lines().filter(l -> l.startsWith("routerctl")).count()).isEqualTo(1);
            Poll.until(Duration.ofSeconds(10), "the check's thread to end",
                    () -> new FromOutside(s.pid(), work).routerctlThreads().stream().noneMatch(t -> t.contains("startup")));
        }
    }

    /**
     * The attach directory the service would use is writable by anyone: it refuses to make its
     * socket there, so the attach undoes itself and says so, and the JVM runs its original code.
     */
    @Test
    void noAttachSocketNoAttach() throws Exception {
        Path open = Files.createDirectory(work.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (ServiceProcess s = ServiceProcess.start(AttachToTicketServiceTest.MAIN, Netty.V4_2, open, List.of());
             Clients clients = new Clients(s.port())) {
            assertThat(clients.ask("/warm", "fresh")).isEqualTo("HTTP/1.1 200 OK");
            Cli.Result r = new Cli(attachDir).run("attach", Long.toString(s.pid()));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.err().strip()).contains("no attach socket, so nothing attached", open.toString())
                    .hasLineCount(1);
            FromOutside outside = new FromOutside(s.pid(), work);
            assertThat(outside.codeOf("java.util.concurrent.CompletableFuture",
                    "io.netty.channel.socket.nio.NioServerSocketChannel")).doesNotContainValue("hooked");
            Poll.until(java.time.Duration.ofSeconds(20), "no routerctl thread", () -> outside.routerctlThreads().isEmpty());
            assertThat(clients.ask("/after", "fresh-2")).isEqualTo("HTTP/1.1 200 OK");
        }
    }
}
