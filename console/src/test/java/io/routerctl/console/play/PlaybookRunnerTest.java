package io.routerctl.console.play;

import io.routerctl.playbooks.ExpectationResult;
import io.routerctl.playbooks.RunResult;
import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.console.play.testing.Harness;
import io.routerctl.console.play.testing.SampleTarget;
import io.routerctl.playbooks.JsonDocuments;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(Harness.Cleanup.class)
class PlaybookRunnerTest {

    @TempDir
    Path dir;

    @Test
    void expectationThatHoldsExitsZeroAndSaysHeldInTheReport() throws Exception {
        Harness h = new Harness(dir);
        RunResult r = h.run("dump-stuck --older-than 5s\nexpect stuck.count == 0\n");
        assertThat(r.exitCode()).isZero();
        assertThat(r.expectations()).singleElement().satisfies(e -> {
            assertThat(e.held()).isTrue();
            assertThat(e.actual()).isEqualTo("0");
            assertThat(e.line()).isEqualTo(2);
        });
        assertThat(h.report()).contains("| 2 | `expect stuck.count == 0` | held | 0 |");
    }

    @Test
    void failedExpectationExitsOneShowsActualValueAndTheRunGoesOn() throws Exception {
        Harness h = new Harness(dir);
        h.target.requestWaitingOnAuth(0);
        h.target.requestWaitingOnAuth(1);
        h.target.requestWaitingOnUpstream(0);
        h.clock.advance(Duration.ofSeconds(6));
        RunResult r = h.run("""
                dump-stuck --older-than 5s
                expect stuck.count == 0
                expect stuck.where(waiting_on=auth).count < 5
                expect stuck.where(waiting_on=auth, loop=loop-1).count == 1
                loops
                """);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.expectations()).extracting(ExpectationResult::held).containsExactly(false, true, true);
        assertThat(r.expectations().get(0).actual()).isEqualTo("3");
        assertThat(h.executor.executed()).extracting(a -> a.get(0)).containsExactly("dump-stuck", "loops");
        assertThat(h.report())
                .contains("**1 of 3 expectations failed** (exit 1)")
                .contains("| 2 | `expect stuck.count == 0` | **FAILED** | 3 |")
                .contains("- 2 requests waiting on auth (" + SampleTarget.AUTH.location() + ") after auth-requested; oldest wait 6s")
                .contains("- 1 request waiting on upstream (" + SampleTarget.UPSTREAM.location() + ") after upstream-request-sent; oldest wait 6s");
    }

    @Test
    void expectWithoutAnEarlierDumpStuckRunsOneAndSaysSo() throws Exception {
        Harness h = new Harness(dir);
        RunResult r = h.run("expect in_flight == 0\n");
        assertThat(r.exitCode()).isZero();
        assertThat(h.executor.executed()).containsExactly(List.of("dump-stuck"));
        assertThat(r.expectations().get(0).document()).isEqualTo("01-dump-stuck.json");
        assertThat(h.report()).contains("run by the playbook to evaluate an expectation");
    }

    @Test
    void expectReadsTheLatestOutputOfItsOwnCommandNotJustTheLastCommand() throws Exception {
        Harness h = new Harness(dir);
        h.target.requestWaitingOnAuth(0);
        h.clock.advance(Duration.ofSeconds(2));
        RunResult r = h.run("""
                dump-stuck --older-than 1s
                loops --older-than 1s
                expect stuck.count == 1
                expect loops.sum(stuck) == 1
                expect loops.first.name == loop-0
                """);
        assertThat(r.expectations()).allMatch(ExpectationResult::held);
        assertThat(r.expectations().get(0).document()).isEqualTo("01-dump-stuck.json");
        assertThat(r.expectations().get(1).document()).isEqualTo("02-loops.json");
    }

    @Test
    void waitUntilPollsUntilTheStuckRequestCompletes() throws Exception {
        Harness h = new Harness(dir);
        long req = h.target.requestWaitingOnAuth(0);
        h.clock.advance(Duration.ofSeconds(10));
        h.clock.schedule(Duration.ofMillis(3_500), () -> h.target.complete(0, req));
        RunResult r = h.run("""
                dump-stuck --older-than 5s
                wait-until stuck.count == 0 --timeout 30s --every 1s
                """);
        assertThat(r.exitCode()).isZero();
        // polls at +0s, +1s, +2s, +3s see it stuck; the one at +4s sees it gone
        assertThat(h.executor.executed()).hasSize(1 + 5);
        assertThat(h.executor.executed().get(3)).containsExactly("dump-stuck", "--older-than", "5s");
        assertThat(h.clock.sleeps()).containsOnly(Duration.ofSeconds(1)).hasSize(4);
        assertThat(r.expectations().get(0).note()).isEqualTo("5 polls over 4s");
    }

    @Test
    void waitUntilTimesOutWithWhatItLastSaw() throws Exception {
        Harness h = new Harness(dir);
        h.target.requestWaitingOnAuth(0);
        h.target.requestWaitingOnAuth(0);
        h.clock.advance(Duration.ofSeconds(10));
        RunResult r = h.run("wait-until stuck.count == 0 --timeout 5s --every 2s\necho after\n");
        assertThat(r.exitCode()).isEqualTo(1);
        ExpectationResult e = r.expectations().get(0);
        assertThat(e.held()).isFalse();
        assertThat(e.actual()).isEqualTo("2");
        assertThat(e.note()).isEqualTo("timed out after 4 polls over 5s");
        // sleeps 2s, 2s, then only the 1s left before the deadline
        assertThat(h.clock.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThat(h.output.toString()).contains("FAILED: wait-until stuck.count == 0 --timeout 5s --every 2s (actual 2)")
                .contains("after");
    }

    @Test
    void repeatRunsItsBodyNTimesStartingEveryInterval() throws Exception {
        Harness h = new Harness(dir);
        RunResult r = h.run("""
                repeat 3 every 5s
                  dump-stuck
                  repeat 2 every 1s
                    loops
                  end
                end
                echo done
                """);
        assertThat(r.exitCode()).isZero();
        assertThat(h.executor.executed()).extracting(a -> a.get(0)).containsExactly(
                "dump-stuck", "loops", "loops", "dump-stuck", "loops", "loops", "dump-stuck", "loops", "loops");
        // inner: 1s between its two runs; outer: the rest of the 5s after the inner second
        assertThat(h.clock.sleeps()).containsExactly(
                Duration.ofSeconds(1), Duration.ofSeconds(4),
                Duration.ofSeconds(1), Duration.ofSeconds(4),
                Duration.ofSeconds(1));
        assertThat(h.clock.elapsed()).isEqualTo(Duration.ofSeconds(11));
        assertThat(h.bundle.resolve("09-loops.json")).exists();
    }

    @Test
    void repeatWithoutEveryRunsBackToBack() throws Exception {
        Harness h = new Harness(dir);
        h.run("repeat 2\nloops\nend\n");
        assertThat(h.executor.executed()).hasSize(2);
        assertThat(h.clock.sleeps()).isEmpty();
    }

    @Test
    void sleepIsAPauseOnThePlaybooksClock() throws Exception {
        Harness h = new Harness(dir);
        long req = h.target.requestWaitingOnAuth(0);
        RunResult r = h.run("""
                dump-stuck --older-than 5s
                expect stuck.count == 0
                sleep 6s
                dump-stuck --older-than 5s
                expect stuck.count == 1
                expect stuck.oldest_ms >= 6s
                expect stuck.first.waiting_ms == 6000
                """);
        assertThat(r.expectations()).allMatch(ExpectationResult::held);
        assertThat(h.clock.sleeps()).containsExactly(Duration.ofSeconds(6));
    }

    @Test
    void bundleHoldsEveryCommandsOutputSavedOutputsThePlaybookAndTheReport() throws Exception {
        Harness h = new Harness(dir);
        h.target.requestWaitingOnAuth(0);
        h.clock.advance(Duration.ofSeconds(7));
        String source = "dump-stuck --older-than 5s\nsave first\nloops\nsave first\n";
        h.run(source);
        try (Stream<Path> files = Files.list(h.bundle)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "01-dump-stuck.json", "01-dump-stuck.txt", "02-loops.json", "02-loops.txt",
                    "first.json", "first-2.json", "test.playbook", "report.md");
        }
        JsonNode dump = JsonDocuments.mapper().readTree(h.bundle.resolve("01-dump-stuck.json").toFile());
        assertThat(dump.path("summary").path("stuck").asInt()).isEqualTo(1);
        assertThat(dump.path("tasks").get(0).path("remote").asText()).isEqualTo("127.0.0.1:40000");
        assertThat(JsonDocuments.mapper().readTree(h.bundle.resolve("first.json").toFile())).isEqualTo(dump);
        assertThat(JsonDocuments.mapper().readTree(h.bundle.resolve("first-2.json").toFile()).has("loops")).isTrue();
        assertThat(h.file("01-dump-stuck.txt")).contains("127.0.0.1:40000").contains("waiting on auth");
        assertThat(h.file("test.playbook")).isEqualTo(source);
    }

    @Test
    void reportSaysWhatRanWhenAndAgainstWhichTarget() throws Exception {
        Harness h = new Harness(dir);
        h.run("default who=ops\necho paged ${who}\nsleep 2s\ndump-stuck\nexpect stuck.count == 0\n", Map.of("who", "oncall"));
        String report = h.report();
        assertThat(report)
                .startsWith("# Incident report: test.playbook\n")
                .contains("| Target | pid " + ProcessHandle.current().pid() + " (sample-router), socket ")
                .contains("| Started | 2026-11-25T07:00:00Z |")
                .contains("| Finished | 2026-11-25T07:00:02Z (took 2.0s) |")
                .contains("| Outcome | **every expectation held (1)** (exit 0) |")
                .contains("| Variables | `who=oncall` |")
                .contains("| 1 | 07:00:00.000 | 2 | `echo paged oncall` | paged oncall |")
                .contains("| 3 | 07:00:02.000 | 4 | `dump-stuck` | exit 0, 01-dump-stuck.json |")
                .contains("As the last dump-stuck stated them (`dump-stuck` at 07:00:02.000, `01-dump-stuck.json`): 0 stuck of 0 in flight.")
                .contains("Nothing stuck.");
    }

    @Test
    void unreachableTargetExitsThreeAndStillWritesTheReport() throws Exception {
        Harness h = new Harness(dir);
        h.executor.goAwayAfter(1);
        RunResult r = h.run("dump-stuck\nloops\nexpect stuck.count == 0\n");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.message()).contains("the target cannot be reached");
        assertThat(h.report()).contains("target unreachable** (exit 3)").contains("## Stopped")
                .contains("| 1 | 07:00:00.000 | 1 | `dump-stuck` | exit 0, 01-dump-stuck.json |");
        assertThat(h.bundle.resolve("01-dump-stuck.json")).exists();
    }

    @Test
    void unreachableBeforeTheFirstCommandExitsThree() throws Exception {
        Harness h = new Harness(dir);
        h.executor.goAway();
        RunResult r = h.run("dump-stuck\n");
        assertThat(r.exitCode()).isEqualTo(3);
        // play attached (the hello named the target) before the target went away.
        assertThat(h.report()).contains("| Target | pid " + ProcessHandle.current().pid() + " (sample-router)")
                .contains("| Outcome | **target unreachable** (exit 3) |")
                .contains("no process is listening on");
    }

    @Test
    void commandReportingItsOwnProblemFailsTheRunButItGoesOn() throws Exception {
        Harness h = new Harness(dir);
        h.target.requestWaitingOnAuth(0);
        h.clock.advance(Duration.ofSeconds(6));
        RunResult r = h.run("dump-stuck --fail-if-stuck\nloops\n");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.expectations()).isEmpty();
        assertThat(h.executor.executed()).hasSize(2);
        assertThat(h.report()).contains("**a command's check found a problem** (exit 1)");
    }

    @Test
    void commandFailingAtRunTimeIsAPlaybookError() throws Exception {
        Harness h = new Harness(dir);
        RunResult r = h.run("diff a.json b.json\nloops\n");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.message()).startsWith("line 1: 'diff a.json b.json' failed (exit 2): routerctl diff:");
        assertThat(h.executor.executed()).hasSize(1);
    }

    @Test
    void missingDetectorStopsBeforeAnythingRunsWithExitTwo() throws Exception {
        Harness h = new Harness(dir);
        RunResult r = h.run("dump-stuck\nrequire detector blocked-loop\nexpect stuck.count == 0\n");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(h.executor.executed()).isEmpty();
        assertThat(r.message()).isEqualTo("this playbook needs the 'blocked-loop' detector (line 2), which the target"
                + " does not run (it runs: lost-wakeup, slow, orphaned); nothing was checked, so nothing can be concluded");
        assertThat(h.report()).contains("playbook error** (exit 2)").contains("`require detector blocked-loop` | MISSING");
    }

    @Test
    void presentDetectorLetsThePlaybookRun() throws Exception {
        Harness h = new Harness(dir);
        RunResult r = h.run("require detector lost-wakeup\nexpect stuck.where(warnings=lost-wakeup).count == 0\n");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void dryRunPrintsTheExpandedPlanAndSendsNothing() throws Exception {
        Harness h = new Harness(dir);
        h.runner().printPlan(h.parse("""
                # a comment
                default t=5s
                dump-stuck --older-than ${t}
                repeat 2 every ${t}
                  snapshot -o "${bundle}/snap shot.json"
                end
                wait-until stuck.count==0 --timeout 1m
                """, Map.of("t", "2s")));
        assertThat(h.executor.executed()).isEmpty();
        assertThat(h.bundle).doesNotExist();
        assertThat(h.output.toString()).isEqualTo("# test.playbook: dry run, nothing is sent to the target\n"
                + "# var bundle=" + h.bundle + "\n"
                + "# var t=2s\n"
                + "   3  dump-stuck --older-than 2s\n"
                + "   4  repeat 2 every 2s\n"
                + "   5    snapshot -o '" + h.bundle + "/snap shot.json'\n"
                + "      end\n"
                + "   7  wait-until stuck.count == 0 --timeout 1m --every 1s\n");
    }

    @Test
    void interruptStopsTheRunAsAPlaybookErrorAndKeepsTheBundle() throws Exception {
        Harness h = new Harness(dir);
        h.clock.schedule(Duration.ofSeconds(1), () -> Thread.currentThread().interrupt());
        RunResult r;
        try {
            r = h.run("dump-stuck\nsleep 5s\nloops\n");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.message()).isEqualTo("interrupted; the bundle holds what ran until then");
        assertThat(h.executor.executed()).hasSize(1);
        assertThat(h.bundle.resolve("01-dump-stuck.json")).exists();
        assertThat(h.report()).contains("interrupted; the bundle holds what ran until then");
    }

    @Test
    void textSavedWhenTheLastCommandPrintedNoJson() throws Exception {
        Harness h = new Harness(dir);
        h.run("list\nsave targets\n");
        // The list as printed: a header, then this process as the one target (the PID column is
        // right-aligned to the widest pid, so the header is compared without its leading blanks).
        List<String> lines = h.file("targets.txt").lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).strip()).isEqualTo("PID  NAME           UPTIME  SOCKET");
        assertThat(lines.get(1)).contains(ProcessHandle.current().pid() + "  sample-router");
        assertThat(h.bundle.resolve("targets.json")).doesNotExist();
    }

    static String read(Path p) throws IOException {
        return Files.readString(p);
    }
}
