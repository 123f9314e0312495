package io.routerctl.console.top;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TopCommandTest {

    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new TopCommand(new PrintStream(errBytes, true, StandardCharsets.UTF_8)));
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
}
