package io.routerctl.console.render;

import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.routerctl.console.render.Snapshots.authGroup;
import static io.routerctl.console.render.Snapshots.report;
import static io.routerctl.console.render.Snapshots.stuckRequest;
import static org.assertj.core.api.Assertions.assertThat;

class StuckTextTest {

    @Test
    void groupSentenceSaysCountKindStepWaitAndOldest() {
        assertThat(StuckText.sentence(authGroup(37, 12_400)))
                .isEqualTo("37 requests stuck after auth-requested, waiting on auth (oldest 12.4s)");
    }

    @Test
    void groupSentenceIsSingularForOne() {
        assertThat(StuckText.sentence(authGroup(1, 850)))
                .isEqualTo("1 request stuck after auth-requested, waiting on auth (oldest 850ms)");
    }

    @Test
    void groupSentenceCoversTasksWithoutStepOrWait() {
        StuckGroup g = new StuckGroup("connection", null, null, null, 3, 123_000);
        assertThat(StuckText.sentence(g))
                .isEqualTo("3 connections stuck before any step, not waiting on anything known (oldest 2m03s)");
    }

    @Test
    void statusLineMatchesTheDemoFormat() {
        TaskReport r = report(41, 12, 12, List.of(authGroup(12, 9_800)), List.of());
        assertThat(StuckText.statusLine(r))
                .isEqualTo("in flight 41 | stuck 12: 12 waiting on auth after auth-requested (oldest 9.8s)");
    }

    @Test
    void statusLineWithNothingStuckIsJustTheCounts() {
        assertThat(StuckText.statusLine(report(41, 0, 0, List.of(), List.of()))).isEqualTo("in flight 41 | stuck 0");
    }

    @Test
    void statusLineCountsGroupsItDoesNotShow() {
        TaskReport r = report(50, 6, 6, List.of(authGroup(3, 9_000),
                new StuckGroup("request", "upstream-request-sent", "upstream", null, 2, 7_000),
                new StuckGroup("request", "request-read", null, null, 1, 6_000)), List.of());
        assertThat(StuckText.statusLine(r)).endsWith("; +1 more groups")
                .contains("2 waiting on upstream after upstream-request-sent (oldest 7s)");
    }

    @Test
    void summarySaysWhenTheLimitCutTheList() {
        TaskReport r = report(300, 250, 250, List.of(authGroup(250, 20_000)),
                List.of(stuckRequest(2, 40000, 20_000, 19_990, List.of())));
        assertThat(StuckText.summary(r, 5_000, 1))
                .isEqualTo("in flight 300, stuck 250 (showing 1; --limit 1 cut 249 more), threshold 5s");
    }

    @Test
    void summaryWithNothingStuckSaysSoInOneSentence() {
        assertThat(StuckText.summary(report(41, 0, 0, List.of(), List.of()), 5_000, 100))
                .isEqualTo("No stuck tasks (in flight 41, threshold 5s).");
    }
}
