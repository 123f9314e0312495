package io.routerctl.console.render;

import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.LoopHealth;
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
    void groupSentenceSaysCountKindWaitWhereStepAndOldest() {
        assertThat(StuckText.sentence(authGroup(37, 12_400)))
                .isEqualTo("37 requests waiting on auth (LegacyAuthAdapter.java:41) after auth-requested; "
                        + "oldest wait 12.4s");
    }

    @Test
    void parkedThreadsSayTheirCallTheirFrameTheOrphansAndWhyNoGcProvesThem() {
        StuckGroup some = new StuckGroup(TaskKind.THREAD, null, "CompletableFuture.get",
                "BarsHandler.serve(BarsHandler.java:42)", 20, 12_400, 0, null, 3);
        assertThat(StuckText.sentence(some)).isEqualTo("20 threads parked in CompletableFuture.get at "
                + "BarsHandler.serve(BarsHandler.java:42); 3 orphaned: their requests ended, the threads live on; "
                + "a GC cannot prove them lost (a parked thread's stack holds its future, its executor the thread); "
                + "oldest wait 12.4s");
        StuckGroup all = new StuckGroup(TaskKind.THREAD, null, "CompletableFuture.get",
                "BarsHandler.serve(BarsHandler.java:42)", 1, 850, 0, null, 1);
        assertThat(StuckText.sentence(all)).startsWith("1 thread parked in CompletableFuture.get at ")
                .contains("; all orphaned: ");
        assertThat(StuckText.compact(some)).isEqualTo("20 parked in CompletableFuture.get, 3 orphaned (oldest 12.4s)");
    }

    @Test
    void groupSentenceIsSingularForOne() {
        assertThat(StuckText.sentence(authGroup(1, 850)))
                .isEqualTo("1 request waiting on auth (LegacyAuthAdapter.java:41) after auth-requested; oldest wait 850ms");
    }

    @Test
    void groupSentenceIsTheDiagnosisWithLostWakeUpsAndTheNormalP99() {
        StuckGroup g = new StuckGroup(TaskKind.REQUEST, "route-resolved", "auth", "LegacyAuthAdapter.java:41", 37, 12_400,
                35, 2.94);
        assertThat(StuckText.sentence(g))
                .isEqualTo("37 requests waiting on auth (LegacyAuthAdapter.java:41) after route-resolved; "
                        + "35 with lost-wakeup: the completer was dropped without completing; "
                        + "p99 of auth is 2.9ms, oldest wait 12.4s");
        StuckGroup slowUpstream = new StuckGroup(TaskKind.REQUEST, "upstream-request-sent", "upstream", null, 2, 61_000, 0, 48.6);
        assertThat(StuckText.sentence(slowUpstream))
                .isEqualTo("2 requests waiting on upstream after upstream-request-sent; p99 of upstream is 49ms, "
                        + "oldest wait 1m01s");
    }

    @Test
    void aWaitNamedByWhereTheTaskStoppedReadsAsASentence() {
        // What the agent records for a request its handler left without an answer or a future.
        StuckGroup afterHandler = new StuckGroup(TaskKind.REQUEST, "TicketHandler (ticket) returned",
                "after TicketHandler (ticket)", "com.example.tickets.TicketHandler", 2, 3_600);
        assertThat(StuckText.sentence(afterHandler)).isEqualTo("2 requests waiting after TicketHandler (ticket); "
                + "oldest wait 3.6s");
        assertThat(StuckText.compact(afterHandler)).isEqualTo("2 waiting after TicketHandler (ticket) (oldest 3.6s)");
        StuckGroup beforeAnyStep = new StuckGroup(TaskKind.REQUEST, null, "after TicketHandler (ticket)",
                "com.example.tickets.TicketHandler", 2, 3_600);
        assertThat(StuckText.sentence(beforeAnyStep)).isEqualTo("2 requests waiting after TicketHandler (ticket) "
                + "before any step; oldest wait 3.6s");
        StuckGroup future = new StuckGroup(TaskKind.REQUEST, "TicketHandler (ticket) returned",
                "future from TicketHandler (ticket)", "com.example.tickets.TicketHandler", 2, 3_400);
        assertThat(StuckText.sentence(future)).isEqualTo("2 requests waiting on future from TicketHandler (ticket) "
                + "after TicketHandler (ticket) returned; oldest wait 3.4s");
    }

    @Test
    void theLocationIsSaidOnceWhetherTheWaitsNameHoldsItOrNot() {
        StuckGroup site = new StuckGroup(TaskKind.REQUEST, "TicketHandler (ticket) returned",
                "CompletableFuture from AuthAdapter.check(AuthAdapter.java:31)", "com.example.tickets.AuthAdapter", 2, 3_300);
        assertThat(StuckText.sentence(site)).isEqualTo("2 requests waiting on CompletableFuture from "
                + "AuthAdapter.check(AuthAdapter.java:31) after TicketHandler (ticket) returned; oldest wait 3.3s");
        StuckGroup withHistory = new StuckGroup(TaskKind.REQUEST, "TicketHandler (ticket) returned",
                "CompletableFuture from AuthAdapter.check(AuthAdapter.java:31)", "com.example.tickets.AuthAdapter", 2,
                3_300, 2, 9.4);
        assertThat(StuckText.sentence(withHistory)).as("a long name is not said twice")
                .endsWith("; 2 with lost-wakeup: the completer was dropped without completing; its usual p99 is 9.4ms, "
                        + "oldest wait 3.3s");
        StuckGroup declared = new StuckGroup(TaskKind.REQUEST, "auth-requested", "auth", "RouterPoints.java:17", 3, 9_000);
        assertThat(StuckText.sentence(declared)).startsWith("3 requests waiting on auth (RouterPoints.java:17) after ");
        StuckGroup otherClass = new StuckGroup(TaskKind.REQUEST, "routed", "after Router (router)",
                "com.example.RouterHelper", 1, 2_000);
        assertThat(StuckText.sentence(otherClass)).as("a different class whose name only begins the same is said")
                .contains("(com.example.RouterHelper)");
    }

    @Test
    void blockedLoopSentenceNamesTheLoopHowLongAndTheBlockingFrame() {
        LoopHealth h = new LoopHealth(3200, 99.0, true, 3_200, List.of(
                "java.base/java.lang.Thread.sleep0(Native Method)",
                "java.lang.Thread.sleep(Thread.java:509)",
                "io.routerctl.samples.router.ReportRenderer.render(ReportRenderer.java:40)",
                "io.routerctl.samples.router.SampleRouter.handle(SampleRouter.java:77)"), 1);
        assertThat(StuckText.blockedLoop("loop-1", h, 12, "request"))
                .isEqualTo("12 requests on loop-1, which is blocked for 3.2s in ReportRenderer.render(ReportRenderer.java:40)");
        assertThat(StuckText.blockedLoop("loop-1", h, 0, "request"))
                .isEqualTo("loop-1 is blocked for 3.2s in ReportRenderer.render(ReportRenderer.java:40)");
    }

    @Test
    void groupSentenceCoversTasksWithoutStepOrWait() {
        StuckGroup g = new StuckGroup(TaskKind.CONNECTION, null, null, null, 3, 123_000);
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
                new StuckGroup(TaskKind.REQUEST, "upstream-request-sent", "upstream", null, 2, 7_000),
                new StuckGroup(TaskKind.REQUEST, "request-read", null, null, 1, 6_000)), List.of());
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
