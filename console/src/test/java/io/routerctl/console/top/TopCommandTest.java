package io.routerctl.console.top;

import io.routerctl.console.testing.Cli;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.attach.AttachDirectory;
import io.routerctl.probes.attach.AttachServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code routerctl top} as typed: usage errors, target choice, and the need for a terminal. */
class TopCommandTest {

    @TempDir
    Path attachDir;

    private Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(attachDir);
    }

    private AttachServer target(String name) throws Exception {
        return AttachServer.builder(new TaskRegistry()).name(name)
                .socket(AttachDirectory.socketOf(attachDir, ProcessHandle.current().pid())).start();
    }

    private static void assertOneLine(Cli.Result r, int exit, String start) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exit);
        assertThat(r.err()).as(r.toString()).startsWith(start);
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
    }

    @Test
    void helpShowsRealExamples() {
        Cli.Result r = cli.run("top", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("routerctl top --pid 4242", "--name sample-router", "--older-than",
                "--interval", "--filter", "--[no-]adaptive", "NO_COLOR");
    }

    @Test
    void anIntervalOutsideTheProtocolsRangeIsAUsageError() {
        assertOneLine(cli.run("top", "--interval", "10ms"), 2,
                "routerctl top: --interval must be between 100ms and 60s, got 10ms");
    }

    @Test
    void anUnparsableDurationIsAUsageError() {
        assertOneLine(cli.run("top", "--older-than", "soon"), 2, "routerctl top: ");
    }

    @Test
    void aBadFilterRegexIsAUsageError() {
        assertOneLine(cli.run("top", "--filter", "auth("), 2, "routerctl top: --filter is not a regular expression:");
    }

    @Test
    void nameWithPidIsAUsageError() {
        assertOneLine(cli.run("top", "--name", "sample-router", "--pid", "42"), 2,
                "routerctl top: --pid, --socket and --name each choose the target; give one");
    }

    @Test
    void noAttachableProcessCannotAttach() {
        assertOneLine(cli.run("top"), 3, "routerctl top: ");
    }

    @Test
    void aNameNobodyHasCannotAttach() throws Exception {
        try (AttachServer ignored = target("sample-router")) {
            assertOneLine(cli.run("top", "--name", "nobody-by-this-name", "--timeout", "20s"), 3,
                    "routerctl top: no attachable process named nobody-by-this-name");
        }
    }

    @Test
    void theOnlyTargetIsAttachedButTopNeedsATerminal() throws Exception {
        try (AttachServer ignored = target("sample-router")) {
            assertOneLine(cli.run("top", "--timeout", "20s"), 2, "routerctl top: needs a terminal");
            assertOneLine(cli.run("top", "--name", "sample-router", "--timeout", "20s"), 2,
                    "routerctl top: needs a terminal");
        }
    }

    @Test
    void aMissingSnapshotIsAOneLineUsageError() {
        assertOneLine(cli.run("top", "--from", attachDir.resolve("nope.json").toString()), 2,
                "routerctl top: " + attachDir.resolve("nope.json") + ": no such file");
    }

    @Test
    void fromWithNameIsAUsageError() {
        assertOneLine(cli.run("top", "--from", "s.json", "--name", "sample-router"), 2,
                "routerctl top: --from reads a snapshot instead of a target");
    }
}
