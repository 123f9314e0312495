package io.routerctl.console.top;

import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.attach.AttachDirectory;
import io.routerctl.probes.attach.AttachServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TopCommandTest {

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @TempDir
    Path attachDir;

    @BeforeEach
    void useOwnAttachDirectory() {
        System.setProperty(AttachDirectory.DIR_PROPERTY, attachDir.toString());
    }

    @AfterEach
    void forgetAttachDirectory() {
        System.clearProperty(AttachDirectory.DIR_PROPERTY);
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new TopCommand(new PrintStream(errBytes, true, StandardCharsets.UTF_8),
                () -> false));
        cli.setErr(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpShowsRealExamplesAndExitCodes() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new TopCommand());
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("routerctl top --pid 4242", "--name sample-router", "--older-than",
                "--interval", "--filter", "Exit codes: 0 quit, 2 usage error, 3 cannot attach", "NO_COLOR");
    }

    @Test
    void badIntervalIsAUsageErrorInOneLine() {
        assertThat(run("--interval", "10ms")).isEqualTo(2);
        assertThat(err()).isEqualTo("routerctl top: --interval must be between 100ms and 60s, got 10ms" + System.lineSeparator());
    }

    @Test
    void unparsableDurationIsAUsageError() {
        assertThat(run("--older-than", "soon")).isEqualTo(2);
        assertThat(err()).startsWith("routerctl top: 'soon' is not a duration");
    }

    @Test
    void badFilterRegexIsAUsageError() {
        assertThat(run("--filter", "auth(")).isEqualTo(2);
        assertThat(err()).startsWith("routerctl top: --filter is not a regular expression:");
    }

    @Test
    void pidAndSocketTogetherIsAUsageError() {
        assertThat(run("--pid", "1", "--socket", "/tmp/x.sock")).isEqualTo(2);
    }

    @Test
    void noAttachableProcessCannotAttach() {
        assertThat(run()).isEqualTo(3);
        assertThat(err()).isEqualTo("routerctl top: no attachable process in " + attachDir
                + " (start one, e.g. ./routerctl demo)" + System.lineSeparator());
    }

    @Test
    void aPidWithNoProcessCannotAttach() {
        assertThat(run("--pid", "999999999")).isEqualTo(3);
        assertThat(err()).startsWith("routerctl top: cannot attach to pid 999999999: ");
    }

    @Test
    void severalTargetsAndNoneChosenListsThemAndIsAUsageError() throws Exception {
        long me = ProcessHandle.current().pid();
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        try (AttachServer a = server(me); AttachServer b = server(parent)) {
            assertThat(run()).isEqualTo(2);
            assertThat(err()).startsWith("routerctl top: 2 attachable processes (")
                    .contains(Long.toString(me), Long.toString(parent), "choose one with --pid or --name");
        }
    }

    @Test
    void theOnlyTargetIsAttachedButTopNeedsATerminal() throws Exception {
        try (AttachServer a = server(ProcessHandle.current().pid())) {
            assertThat(run()).isEqualTo(2);
            assertThat(err()).startsWith("routerctl top: needs a terminal");
            assertThat(run("--name", "nobody-by-this-name")).isEqualTo(3);
            assertThat(err()).contains("no attachable process named nobody-by-this-name");
        }
    }

    private AttachServer server(long pid) throws Exception {
        return AttachServer.builder(new TaskRegistry()).name("sample-router")
                .socket(AttachDirectory.socketOf(attachDir, pid)).start();
    }
}
