package io.routerctl.console;

import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.testing.AttachDirProperty;
import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.LivePid;
import io.routerctl.console.testing.StuckFixture;
import io.routerctl.probes.attach.AttachServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Which target a command attaches to when none, one or several are in the attach directory. */
class TargetSelectionTest {

    @TempDir
    Path attachDir;

    private AttachDirProperty property;
    private Cli cli;

    @BeforeEach
    void setUp() {
        property = new AttachDirProperty(attachDir);
        cli = new Cli(attachDir);
    }

    @AfterEach
    void tearDown() {
        property.close();
    }

    private static AttachServer startTarget() throws Exception {
        StuckFixture fixture = new StuckFixture();
        fixture.requestWaitingOnAuth(41000);
        fixture.advance(Duration.ofSeconds(9));
        return AttachServer.start(fixture.registry(), "only-router");
    }

    @Test
    void noTargetExitsThreeSayingWhereItLooked() {
        Cli.Result r = cli.run("dump-stuck");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CANNOT_ATTACH);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("routerctl dump-stuck: no attachable process found in " + attachDir
                + " (is the service running with routerctl probes?)\n");
    }

    @Test
    void aSocketWhoseProcessIsGoneDoesNotCount() throws Exception {
        Files.createFile(attachDir.resolve("999999999.sock"));
        Cli.Result r = cli.run("dump-stuck");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CANNOT_ATTACH);
        assertThat(r.err()).contains("no attachable process found");
    }

    @Test
    void theOnlyTargetIsUsedWithoutAPid() throws Exception {
        try (AttachServer server = startTarget()) {
            Cli.Result r = cli.run("dump-stuck", "--timeout", "20s");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("127.0.0.1:41000").contains("1 request waiting on auth (").contains("after auth-requested;");
            assertThat(cli.run("dump-stuck", "--json", "--timeout", "20s").out()).contains("\"socket\" : \"" + server.socket() + "\"");
        }
    }

    @Test
    void severalTargetsAreListedAndTheUserAskedToChoose() throws Exception {
        try (AttachServer server = startTarget(); LivePid silent = new LivePid()) {
            silent.silentSocket(attachDir);
            // The silent target costs the whole timeout; the real one must answer within it even on a
            // loaded machine: warm it up first, and give it two seconds.
            assertThat(cli.run("dump-stuck", "--socket", server.socket().toString(), "--timeout", "20s").exitCode())
                    .isZero();
            Cli.Result r = cli.run("dump-stuck", "--timeout", "2s");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).contains("PID", "NAME", "SOCKET")
                    .contains(Long.toString(ProcessHandle.current().pid()))
                    .contains("only-router")
                    .contains(server.socket().toString())
                    .contains(Long.toString(silent.pid()))
                    .contains("(not answering)");
            assertThat(r.err().lines().reduce((a, b) -> b).orElseThrow())
                    .isEqualTo("routerctl dump-stuck: 2 targets; choose one with --pid");
            Cli.Result chosen = cli.run("dump-stuck", "--pid", Long.toString(ProcessHandle.current().pid()),
                    "--timeout", "20s");
            assertThat(chosen.exitCode()).as(chosen.toString()).isZero();
        }
    }

    @Test
    void aFrontEndsDefaultTargetIsUsedWhenTheCommandNamesNone() throws Exception {
        try (AttachServer server = startTarget(); LivePid silent = new LivePid()) {
            silent.silentSocket(attachDir);
            Cli attached = new Cli(ConsoleContext.withAttachDir(attachDir).withDefaultSocket(server.socket()));
            Cli.Result r = attached.run("dump-stuck", "--timeout", "20s");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains("127.0.0.1:41000");
            Cli.Result other = attached.run("dump-stuck", "--pid", Long.toString(silent.pid()), "--timeout", "300ms");
            assertThat(other.exitCode()).as("an explicit --pid wins over the default").isEqualTo(ExitCode.CANNOT_ATTACH);
        }
    }

    @Test
    void aSocketNobodyListensOnIsNoTargetEvenWhenItsPidIsAlive() throws Exception {
        try (AttachServer server = startTarget(); LivePid live = new LivePid()) {
            Path socket = live.deadSocket(attachDir);
            Cli.Result bySocket = cli.run("dump-stuck", "--socket", socket.toString());
            assertThat(bySocket.exitCode()).isEqualTo(ExitCode.CANNOT_ATTACH);
            assertThat(bySocket.err()).isEqualTo("routerctl dump-stuck: cannot attach to " + socket
                    + ": no process is listening on " + socket + "\n");

            Cli.Result alone = cli.run("dump-stuck", "--timeout", "20s");
            assertThat(alone.exitCode()).as("the only listening target is chosen, not '2 targets': " + alone)
                    .isZero();
            assertThat(alone.out()).contains("127.0.0.1:41000");
            assertThat(socket).as("removed as stale, though pid " + live.pid() + " lives").doesNotExist();
        }
    }

    @Test
    void aTargetThatNeverSaysHelloTimesOutAsCannotAttach() throws Exception {
        try (LivePid silent = new LivePid()) {
            silent.silentSocket(attachDir);
            Cli.Result r = cli.run("dump-stuck", "--timeout", "300ms");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CANNOT_ATTACH);
            assertThat(r.err()).startsWith("routerctl dump-stuck: cannot attach to pid " + silent.pid());
        }
    }

    @Test
    void everyAttachingCommandPicksItsTargetByName() throws Exception {
        try (AttachServer server = startTarget()) {
            for (String[] command : new String[][] {{"dump-stuck"}, {"loops"}, {"snapshot", "-o",
                    attachDir.resolve("by-name.json").toString()}, {"play", "hung-requests", "--dry-run"}}) {
                String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
                        java.util.stream.Stream.of("--name", "only-router", "--timeout", "20s")).toArray(String[]::new);
                Cli.Result r = cli.run(args);
                assertThat(r.exitCode()).as(r.toString()).isZero();
            }
            Cli.Result json = cli.run("dump-stuck", "--name", "only-router", "--json", "--timeout", "20s");
            assertThat(json.out()).contains("\"name\" : \"only-router\"");

            Cli.Result none = cli.run("loops", "--name", "another-router", "--timeout", "20s");
            assertThat(none.exitCode()).as(none.toString()).isEqualTo(ExitCode.CANNOT_ATTACH);
            assertThat(none.err()).contains("only-router") // the targets there are, to choose from
                    .endsWith("routerctl loops: no attachable process named another-router in " + attachDir
                            + " (see routerctl list)\n");

            Cli.Result both = cli.run("task", "1", "--name", "only-router", "--pid", "1");
            assertThat(both.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(both.err()).contains("--pid, --socket and --name each choose the target; give one");
        }
    }
}
