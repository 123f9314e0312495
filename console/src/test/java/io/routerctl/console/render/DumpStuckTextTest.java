package io.routerctl.console.render;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.attach.GcResult;
import io.routerctl.probes.snapshot.LoopHealth;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TaskGrowth;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.routerctl.console.render.Snapshots.authGroup;
import static io.routerctl.console.render.Snapshots.report;
import static io.routerctl.console.render.Snapshots.stuckRequest;
import static org.assertj.core.api.Assertions.assertThat;

class DumpStuckTextTest {

    @Test
    void rendersTableThenGroupsThenSummary() {
        List<TaskSnapshot> tasks = List.of(
                stuckRequest(2561, 40112, 12_400, 12_390, List.of()),
                stuckRequest(2817, 40388, 9_800, 9_790, List.of()));
        TaskReport r = report(41, 2, 2, List.of(authGroup(2, 12_390)), tasks);
        assertThat(DumpStuckText.render(r, 5_000, 100)).isEqualTo(
                "  ID  KIND     REMOTE           LOCAL           LOOP      AGE  STATE    LAST STEP       WAITING ON\n"
              + "2561  request  127.0.0.1:40112  127.0.0.1:8080  loop-1  12.4s  waiting  auth-requested  auth 12.3s\n"
              + "2817  request  127.0.0.1:40388  127.0.0.1:8080  loop-1   9.8s  waiting  auth-requested  auth 9.7s\n"
              + "\n"
              + "2 requests waiting on auth (LegacyAuthAdapter.java:41) after auth-requested; oldest wait 12.3s\n"
              + "\n"
              + "in flight 41, stuck 2 (showing 2), threshold 5s\n");
    }

    @Test
    void warnColumnAppearsOnlyWhenSomeTaskHasAWarning() {
        TaskReport plain = report(1, 1, 1, List.of(authGroup(1, 9_000)),
                List.of(stuckRequest(5, 40000, 9_000, 9_000, List.of())));
        assertThat(DumpStuckText.render(plain, 5_000, 100)).doesNotContain("WARN");
        TaskReport warned = report(1, 1, 1, List.of(authGroup(1, 9_000)),
                List.of(stuckRequest(5, 40000, 9_000, 9_000, List.of("lost-wakeup"))));
        assertThat(DumpStuckText.render(warned, 5_000, 100)).contains("WARN").contains("lost-wakeup");
    }

    @Test
    void ruleColumnAppearsOnlyWhenTheAdaptiveRuleMadeSomeTaskStuck() {
        TaskSnapshot byThreshold = stuckRequest(5, 40000, 9_000, 9_000, List.of());
        assertThat(DumpStuckText.render(report(1, 1, 1, List.of(authGroup(1, 9_000)), List.of(byThreshold)), 5_000, 100))
                .doesNotContain("RULE");
        TaskSnapshot byHistory = new TaskSnapshot(6, TaskKind.REQUEST, 5L, "127.0.0.1:40001", "127.0.0.1:8080", "loop-0",
                1_500, TaskState.WAITING, "auth-requested", 1_400L, "auth", 1_400L, "LegacyAuthAdapter.java:41", true, 1_400,
                List.of(), 0, List.of("slow"), "adaptive");
        String text = DumpStuckText.render(report(2, 2, 2, List.of(authGroup(2, 9_000)), List.of(byThreshold, byHistory)),
                5_000, 100);
        assertThat(text).contains("RULE").contains("adaptive").contains("older-than").contains("WARN").contains("slow");
    }

    @Test
    void gcLineAndBlockedLoopLineComeWithTheirFacts() {
        TaskSnapshot onBlocked = stuckRequest(5, 40000, 9_000, 9_000, List.of("blocked-loop"));
        LoopSnapshot blocked = new LoopSnapshot("loop-1", 3, 2, 1, 10, 0, new LoopHealth(3_200, 100.0, true, 3_200,
                List.of("io.routerctl.samples.router.ReportRenderer.render(ReportRenderer.java:40)"), 1));
        LoopSnapshot fine = new LoopSnapshot("loop-0", 3, 2, 0, 10, 0, new LoopHealth(0.1, 2.0, false, 0, List.of(), 0));
        String text = DumpStuckText.render(report(2, 1, 1, List.of(authGroup(1, 9_000)), List.of(onBlocked)), 5_000, 100,
                List.of(fine, blocked), new GcResult(1, 3, 48));
        assertThat(text).startsWith("full GC in the target: 1 lost wake-up proven (3 since start), took 48ms\n")
                .contains("\n1 request on loop-1, which is blocked for 3.2s in ReportRenderer.render(ReportRenderer.java:40)\n")
                .doesNotContain("loop-0 is blocked");
    }

    @Test
    void nothingStuckIsOneLine() {
        assertThat(DumpStuckText.render(report(41, 0, 0, List.of(), List.of()), 5_000, 100))
                .isEqualTo("No stuck tasks (in flight 41, threshold 5s).\n");
    }

    @Test
    void tasksThatOnlyGrewAreCalledALeakEvenWhenNothingIsStuck() {
        TaskReport quiet = report(48_000, 0, 0, List.of(), List.of()).withGrowth(new TaskGrowth(1_200, 48_000, 300_000));
        assertThat(DumpStuckText.render(quiet, 5_000, 100)).isEqualTo(
                "No stuck tasks (in flight 48000, threshold 5s). But live tasks only grew for 5m: 1200 -> 48000"
                        + " (a leak: tasks that never finish?).\n");
    }

    @Test
    void aGcLineSaysWhenNoCollectionRanOrTheResultIsAnEarlierOne() {
        assertThat(DumpStuckText.gcLine(new GcResult(0, 3, 12, false, 0))).isEqualTo(
                "full GC in the target: none ran (its collectors counted no collection), so lost wake-ups could not"
                        + " be proven; 3 proven since start");
        assertThat(DumpStuckText.gcLine(new GcResult(2, 5, 48, true, 3_200))).isEqualTo(
                "full GC in the target: 2 lost wake-ups proven (5 since start), took 48ms (from a collection 3.2s ago;"
                        + " at most one runs per 10s)");
    }
}
