package io.routerctl.console;

import io.routerctl.console.testing.AttachDirProperty;
import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.HostileTarget;
import io.routerctl.playbooks.JsonDocuments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target that fills its names, addresses, steps, waits, locations, loop names, stack frames and
 * error messages with terminal control sequences: every text command prints them as visible
 * escapes, never raw; {@code --json} keeps them exactly (JSON escapes them itself).
 */
class HostileStringsTest {

    @TempDir
    Path dir;
    HostileTarget target;
    Cli cli;

    @BeforeEach
    void start() throws Exception {
        target = new HostileTarget(dir);
        cli = new Cli(dir);
    }

    @AfterEach
    void stop() throws Exception {
        target.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "dump-stuck", "task 2561", "loops", "dump-stuck --gc"})
    void textShowsControlCharactersEscapedAndNeverRaw(String command) {
        Cli.Result r = cli.run((command + " --timeout 20s").replace("list --timeout 20s", "list --timeout 20s").split(" "));
        String printed = r.out() + r.err();
        assertThat(printed).as("%s", r).isNotBlank();
        assertThat(printed.replace("\n", "")).as("raw control characters in:%n%s", printed)
                .doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069]");
        assertThat(printed).as("%s", r).containsAnyOf("\\e[2J", "\\e]0;pwned\\x07", "\\rALL GOOD");
        assertThat(printed).doesNotContain("\\\\e");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dump-stuck", "task 2561", "loops"})
    void jsonKeepsTheStringsExactly(String command) throws Exception {
        Cli.Result r = cli.run((command + " --json --timeout 20s").split(" "));
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.out()).doesNotContainPattern("[\\x00-\\x09\\x0b-\\x1f]");
        assertThat(JsonDocuments.mapper().readTree(r.out()).toString()).contains("\\u001B");
    }
}
