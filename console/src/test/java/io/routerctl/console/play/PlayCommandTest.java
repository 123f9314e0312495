package io.routerctl.console.play;

import io.routerctl.playbooks.PlayCommand;
import io.routerctl.console.play.testing.Harness;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code routerctl play} as the console will call it. */
@ExtendWith(Harness.Cleanup.class)
class PlayCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private PlayCommand play(Harness h) {
        return new PlayCommand(h.executor, h.clock, new PrintWriter(out, true), new PrintWriter(err, true), dir);
    }

    @Test
    void playsAFileAndWritesTheBundleToATimestampedDirectoryByDefault() throws Exception {
        Harness h = new Harness(dir);
        Files.writeString(dir.resolve("mine.playbook"), "dump-stuck\nexpect stuck.count == 0\n");
        assertThat(play(h).run(new PlayCommand.Request("mine.playbook", Map.of(), null, false))).isZero();
        Path bundle = dir.resolve("incident-20261125-070000");
        assertThat(bundle.resolve("report.md")).exists();
        assertThat(bundle.resolve("mine.playbook")).hasContent("dump-stuck\nexpect stuck.count == 0\n");
        assertThat(play(h).run(new PlayCommand.Request("mine.playbook", Map.of(), null, false))).isZero();
        assertThat(dir.resolve("incident-20261125-070000-2").resolve("report.md")).exists();
        assertThat(out.toString()).contains("report: " + bundle.resolve("report.md"));
    }

    @Test
    void fileNamedLikeAStockPlaybookWins() throws Exception {
        Harness h = new Harness(dir);
        Files.writeString(dir.resolve("hung-requests"), "loops\n");
        assertThat(play(h).run(new PlayCommand.Request("hung-requests", Map.of(), dir.resolve("out"), false))).isZero();
        assertThat(h.executor.executed()).containsExactly(List.of("loops"));
    }

    @Test
    void parseErrorIsOneLineWithThePositionExitTwoAndNothingRuns() throws Exception {
        Harness h = new Harness(dir);
        Files.writeString(dir.resolve("bad.playbook"), "dump-stuck\nsleep 5s\nexpect stuck.count\n");
        int exit = play(h).run(new PlayCommand.Request("bad.playbook", Map.of(), null, false));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "routerctl play: bad.playbook:3:19: expected a comparison (==, !=, <, <=, >, >=) after 'stuck.count'\n");
        assertThat(h.executor.executed()).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("bad.playbook");
        }
    }

    @Test
    void unknownVariableIsAPlaybookError() throws Exception {
        Harness h = new Harness(dir);
        Files.writeString(dir.resolve("v.playbook"), "dump-stuck --older-than ${threshold}\n");
        assertThat(play(h).run(new PlayCommand.Request("v.playbook", Map.of(), null, false))).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("routerctl play: v.playbook:1:25: unknown variable 'threshold': pass --var"
                + " threshold=VALUE or declare 'default threshold=VALUE'\n");
        assertThat(play(h).run(new PlayCommand.Request("v.playbook", Map.of("threshold", "1s"), dir.resolve("o"), false)))
                .isZero();
        assertThat(h.executor.executed()).containsExactly(List.of("dump-stuck", "--older-than", "1s"));
    }

    @Test
    void missingPlaybookNamesTheStockOnes() {
        Harness h = new Harness(dir);
        assertThat(play(h).run(new PlayCommand.Request("nope", Map.of(), null, false))).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("routerctl play: no playbook 'nope': not a file, and not a stock playbook"
                + " (hung-requests, incident-bundle, lost-wakeups, blocked-loop)\n");
    }

    @Test
    void dryRunPrintsThePlanWithVariablesAndCreatesNothing() throws Exception {
        Harness h = new Harness(dir);
        int exit = play(h).run(new PlayCommand.Request("hung-requests", Map.of("interval", "2s"), null, true));
        assertThat(exit).isZero();
        assertThat(h.executor.executed()).isEmpty();
        Path bundle = dir.resolve("incident-20261125-070000");
        assertThat(bundle).doesNotExist();
        assertThat(out.toString())
                .startsWith("# hung-requests.playbook: dry run, nothing is sent to the target\n")
                .contains("# var interval=2s\n")
                .contains("  sleep 2s\n")
                .contains("  snapshot -o " + bundle + "/snapshot-1.json\n")
                .contains("  diff " + bundle + "/snapshot-1.json " + bundle + "/snapshot-3.json --older-than 5s\n");
        StringWriter other = new StringWriter();
        new PlayCommand(h.executor, h.clock, new PrintWriter(other, true), new PrintWriter(err, true), dir)
                .run(new PlayCommand.Request("lost-wakeups", Map.of(), null, true));
        assertThat(other.toString()).contains("# when run, first checks that the target runs the detectors: lost-wakeup\n");
    }

    @Test
    void bundleVariableBelongsToRouterctl() {
        Harness h = new Harness(dir);
        assertThat(play(h).run(new PlayCommand.Request("hung-requests", Map.of("bundle", "x"), null, false))).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(
                "routerctl play: --var bundle is set by routerctl (the bundle directory); use --out DIR\n");
    }

    @Test
    void varsParseFromNameEqualsValue() {
        assertThat(PlayCommand.parseVars(List.of("a=1", "b=x=y", "c="))).containsExactly(
                Map.entry("a", "1"), Map.entry("b", "x=y"), Map.entry("c", ""));
        assertThatThrownBy(() -> PlayCommand.parseVars(List.of("novalue")))
                .hasMessage("--var expects NAME=VALUE, got 'novalue'");
        assertThatThrownBy(() -> PlayCommand.parseVars(List.of("1x=2")))
                .hasMessage("--var expects NAME=VALUE, got '1x=2'");
    }
}
