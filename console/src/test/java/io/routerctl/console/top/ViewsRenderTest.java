package io.routerctl.console.top;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import io.routerctl.probes.snapshot.Warning;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.LoopHealth;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSummary;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;

import static io.routerctl.console.top.Keys.press;
import static org.assertj.core.api.Assertions.assertThat;

/** The screen as a person sees it, read back from lanterna's virtual terminal. */
class ViewsRenderTest {

    private static final int TABLE_HEADER_ROW = 4;
    private static final int FIRST_ROW = 5;

    @Test
    void tableAt80x24ShowsHeaderWarningsAndStuckRowsWithTheirAddressAndStep() throws Exception {
        try (VirtualScreen v = new VirtualScreen(80, 24)) {
            List<String> s = v.render(Fixtures.incidentModel());
            assertThat(s.get(0)).startsWith("routerctl top  sample-router  pid 4242  up 1h02m  2 loops").endsWith("connected");
            assertThat(s.get(1)).contains("in flight 42", "stuck 12", "stuck after 5s");
            assertThat(s.get(3)).isEqualTo("⚠ 12 stuck: 12 waiting on auth after auth-requested (oldest 9.8s)");
            String header = s.get(TABLE_HEADER_ROW);
            assertThat(header).contains("ID", "REMOTE", "LAST STEP", "SINCE▼", "WAITING ON", "WARN")
                    .doesNotContain("KIND", "LOOP", "STATE", "AGE");
            String first = s.get(FIRST_ROW);
            assertThat(first).startsWith("!").contains("2561", "127.0.0.1:40112", "9.8s", "auth-requested", "auth", "stuck");
            assertThat(first.indexOf("127.0.0.1")).as("REMOTE lines up with its header").isEqualTo(header.indexOf("REMOTE"));
            assertThat(first.indexOf("auth-requested")).isEqualTo(header.indexOf("LAST STEP"));
            assertThat(s.get(FIRST_ROW + 12)).as("the first running request is not marked")
                    .startsWith(" ").contains("127.0.0.1:41000", "upstream").doesNotContain("stuck");
            assertThat(s.get(22)).startsWith("rows 1-17 of 42").contains("sort SINCE ▼");
            assertThat(s.get(23)).startsWith("↑↓ move  ←→ sort  i invert  / filter  s stuck only");
        }
    }

    /** A stopped process keeps its socket open and says nothing: the header says so within a few seconds. */
    @Test
    void aTargetThatStopsSendingUpdatesIsShownAsNotAnswering() throws Exception {
        TopModel model = Fixtures.incidentModel();
        long second = TimeUnit.SECONDS.toNanos(1);
        model.heardAt(10 * second);
        assertThat(model.checkSilence(12 * second, 1_000)).as("two intervals late: not yet").isZero();
        try (VirtualScreen v = new VirtualScreen(100, 24)) {
            assertThat(v.render(model).get(0)).endsWith("connected");
            assertThat(model.checkSilence(16 * second, 1_000)).isEqualTo(6);
            assertThat(v.render(model).get(0)).endsWith("not answering for 6s");
            model.heardAt(17 * second);
            assertThat(model.checkSilence(17 * second, 1_000)).isZero();
            assertThat(v.render(model).get(0)).endsWith("connected");
        }
    }

    @Test
    void tableAt200x60ShowsEveryColumnAndEveryRow() throws Exception {
        try (VirtualScreen v = new VirtualScreen(200, 60)) {
            List<String> s = v.render(Fixtures.incidentModel());
            assertThat(s.get(TABLE_HEADER_ROW)).contains("ID", "KIND", "REMOTE", "LOOP", "STATE", "AGE", "LAST STEP",
                    "SINCE▼", "WAITING ON", "WARN");
            assertThat(s.get(FIRST_ROW)).contains("request", "loop-0", "waiting");
            assertThat(s.get(FIRST_ROW + 41)).contains("127.0.0.1:41029");
            assertThat(s.get(58)).startsWith("rows 1-42 of 42");
            assertThat(s.get(59)).contains("? help  q quit");
        }
    }

    @Test
    void sortMarkerMovesWithTheSortColumnAndFlipsWhenInverted() throws Exception {
        try (VirtualScreen v = new VirtualScreen(80, 24)) {
            TopModel model = Fixtures.incidentModel();
            press(model, Keys.LEFT);
            List<String> s = v.render(model);
            assertThat(s.get(TABLE_HEADER_ROW)).contains("LAST STEP▲").doesNotContain("SINCE▼");
            assertThat(s.get(22)).contains("sort LAST STEP ▲", "updating...");
            model.applyUpdate(Fixtures.target(), Fixtures.report(Fixtures.incident(), 42), Fixtures.loops(1, 1), 0);
            assertThat(v.render(model).get(22)).as("the target answered").doesNotContain("updating...");
            press(model, "i");
            s = v.render(model);
            assertThat(s.get(TABLE_HEADER_ROW)).contains("LAST STEP▼");
            assertThat(s.get(22)).contains("sort LAST STEP ▼");
        }
    }

    @Test
    void filterPromptShowsWhatIsTypedAndWhyARegexIsRefused() throws Exception {
        try (VirtualScreen v = new VirtualScreen(80, 24)) {
            TopModel model = Fixtures.incidentModel();
            press(model, "/", "auth");
            List<String> s = v.render(model);
            assertThat(s.get(22)).startsWith("filter /auth_");
            assertThat(s.get(23)).contains("Enter apply", "Esc clear");
            press(model, "(", Keys.ENTER);
            s = v.render(model);
            assertThat(s.get(22)).startsWith("filter /auth(_").contains("bad regex:");
            press(model, Keys.BACKSPACE, Keys.ENTER);
            s = v.render(model);
            assertThat(s.get(22)).contains("filter /auth/");
        }
    }

    @Test
    void stuckOnlyWithNothingStuckSaysSoInsteadOfAnEmptyTable() throws Exception {
        try (VirtualScreen v = new VirtualScreen(80, 24)) {
            TopModel model = new TopModel("pid 4242", 5_000, null, 200, 2_000);
            press(model, "s");
            model.applyUpdate(Fixtures.target(), Fixtures.report(List.of(), 0), Fixtures.loops(1, 1), 0);
            List<String> s = v.render(model);
            assertThat(s.get(3)).isEqualTo("nothing stuck for 5s or more");
            assertThat(s.get(FIRST_ROW)).contains("nothing stuck for 5s or more");
            assertThat(s.get(22)).contains("stuck only");
        }
    }

    @Test
    void withNoColorNoCellHasAColourButStuckRowsAreStillMarked() throws Exception {
        Theme noColour = Theme.fromEnvironment(Map.of("NO_COLOR", "1"));
        assertThat(noColour.usesColour()).isFalse();
        try (VirtualScreen v = new VirtualScreen(80, 24).withTheme(noColour)) {
            List<String> s = v.render(Fixtures.incidentModel());
            for (int row = 0; row < 24; row++) {
                for (int col = 0; col < 80; col++) {
                    TextCharacter c = v.at(col, row);
                    assertThat(c.getForegroundColor()).as("fg at %d,%d", col, row).isEqualTo(TextColor.ANSI.DEFAULT);
                    assertThat(c.getBackgroundColor()).as("bg at %d,%d", col, row).isEqualTo(TextColor.ANSI.DEFAULT);
                }
            }
            for (int row = FIRST_ROW; row < FIRST_ROW + 12; row++) {
                assertThat(s.get(row)).startsWith("!").endsWith("stuck");
            }
            assertThat(v.at(5, FIRST_ROW).isReversed()).as("the selected row is in reverse video").isTrue();
            assertThat(v.at(5, FIRST_ROW + 1).isBold()).as("stuck rows are bold").isTrue();
        }
    }

    @Test
    void withColourStuckRowsAreRedAndOthersAreNot() throws Exception {
        assertThat(Theme.fromEnvironment(Map.of("NO_COLOR", "")).usesColour()).as("empty NO_COLOR is unset").isTrue();
        try (VirtualScreen v = new VirtualScreen(80, 24)) {
            v.render(Fixtures.incidentModel());
            assertThat(v.at(7, FIRST_ROW + 1).getForegroundColor()).isEqualTo(TextColor.ANSI.RED_BRIGHT);
            assertThat(v.at(7, FIRST_ROW + 12).getForegroundColor()).isEqualTo(TextColor.ANSI.DEFAULT);
        }
    }

    @Test
    void detailShowsAddressesTimelineWaitAndWarningsWithTheirMeaning() throws Exception {
        try (VirtualScreen v = new VirtualScreen(200, 60)) {
            TopModel model = new TopModel("pid 4242", 5_000, null, 200, 2_000);
            TaskSnapshot base = Fixtures.stuckRequest(2561, 40112, 9_800);
            TaskSnapshot lost = new TaskSnapshot(base.id(), base.kind(), base.parent(), base.remote(), base.local(),
                    base.loop(), base.ageMs(), base.state(), base.lastStep(), base.lastStepAgoMs(), base.waitingOn(),
                    base.waitingMs(), base.waitingAt(), true, base.idleMs(), base.steps(), 2, List.of("lost-wakeup"));
            model.applyUpdate(Fixtures.target(), Fixtures.report(List.of(lost), 1), Fixtures.loops(1, 1), 0);
            List<String> table = v.render(model);
            assertThat(table.get(3)).endsWith("   ⚠ 1 lost-wakeup");
            assertThat(table.get(FIRST_ROW)).startsWith("!").endsWith("lost-wakeup,stuck");
            press(model, Keys.ENTER);
            List<String> s = v.render(model);
            String text = VirtualScreen.text(s);
            assertThat(s.get(4)).startsWith("task 2561  request  waiting  ! STUCK: no progress for 9.8s");
            assertThat(text).contains("remote   127.0.0.1:40112", "local 127.0.0.1:8080",
                    "waiting  on auth for 9.8s    at LegacyAuthAdapter.java:41", "(loading relatives...)",
                    "Steps (2 older steps not kept)");
            assertThat(text).containsPattern("0\\.000ms  request-read\\s*\\n");
            assertThat(text).containsPattern("0\\.012ms  route-resolved\\s+\\+0\\.012ms");
            assertThat(text).containsPattern("0\\.031ms  auth-requested\\s+\\+0\\.019ms");
            assertThat(text).containsPattern("now  waiting on auth\\s+\\+9\\.8s");
            assertThat(text).contains("lost-wakeup  " + Warning.LOST_WAKEUP.meaning());
            assertThat(text).contains("stuck        no progress for 9.8s, longer than the stuck threshold of 5s");

            TaskSnapshot connection = new TaskSnapshot(2560, TaskKind.CONNECTION, null, "127.0.0.1:40112", "127.0.0.1:8080",
                    "loop-0", 12_000, TaskState.RUNNING, "accepted", 12_000L, null, null, null, false, 9_900, List.of(), 0, List.of());
            TaskSnapshot sibling = Fixtures.runningRequest(2563, 40112, 40);
            model.detailLoaded(2561, new TaskFamily(lost, connection, List.of(sibling), List.of()));
            text = VirtualScreen.text(v.render(model));
            assertThat(text).contains("parent   connection 2560  127.0.0.1:40112  running  age 12s",
                    "siblings 1:  request 2563 waiting on upstream 40ms").doesNotContain("loading relatives");

            for (int i = 0; i < 50; i++) {
                press(model, Keys.DOWN);
            }
            assertThat(v.render(model).get(4)).as("a view shorter than the screen does not scroll away")
                    .startsWith("task 2561");

            press(model, Keys.ESC, Keys.ENTER);
            model.detailGone(2561);
            List<String> gone = v.render(model);
            assertThat(gone.get(4)).contains("(finished: no longer in the target)");
            assertThat(VirtualScreen.text(gone)).contains("parent   2560").doesNotContain("loading relatives");
        }
    }

    @Test
    void warningsAndDetailSayHowUnusualTheWaitIsAndWhatWasProvenLost() throws Exception {
        try (VirtualScreen v = new VirtualScreen(200, 60)) {
            TopModel model = new TopModel("pid 4242", 5_000, null, 200, 2_000, true);
            TaskSnapshot stuck = Fixtures.stuckRequest(2561, 40112, 9_800);
            TaskReport report = new TaskReport(Fixtures.T0, 1, 1, 1,
                    List.of(new StuckGroup(TaskKind.REQUEST, "auth-requested", "auth", "LegacyAuthAdapter.java:41", 1, 9_800,
                            1, 2.8)),
                    List.of(stuck), 0,
                    List.of(new PointSummary("auth", "LegacyAuthAdapter.java:41", 4_210, 1.9, 2.8, 1_000L, 37, 0, 0)));
            model.applyUpdate(Fixtures.target(), report, Fixtures.loops(1, 1), 0);
            List<String> s = v.render(model);
            assertThat(s.get(1)).contains("stuck after 5s or 10x p99");
            assertThat(s.get(3)).isEqualTo(
                    "⚠ 1 stuck: 1 waiting on auth after auth-requested (oldest 9.8s, 1 lost wake-up, usual p99 2.8ms)");
            assertThat(model.query().adaptive()).isTrue();
            press(model, Keys.ENTER);
            assertThat(VirtualScreen.text(v.render(model))).contains(
                    "usually  auth takes p50 1.9ms, p99 2.8ms (4,210 waits); 37 lost wake-ups proven there since start");
        }
    }

    @Test
    void loopsViewShowsCountsRatesAndABlockedLoopsStack() throws Exception {
        try (VirtualScreen v = new VirtualScreen(80, 24)) {
            TopModel model = new TopModel("pid 4242", 5_000, null, 200, 2_000);
            List<TaskSnapshot> tasks = Fixtures.incident();
            TaskReport first = Fixtures.report(tasks, 42);
            TaskReport second = new TaskReport(first.takenAtEpochMs() + 1_000, 42, 12, 42, first.groups(), tasks, 0);
            model.applyUpdate(Fixtures.target(), first, Fixtures.loops(10_000, 10_400), 0);
            LoopHealth blocked = new LoopHealth(2_300, 100, true, 2_300,
                    List.of("io.routerctl.samples.Slow.handle(Slow.java:42)", "io.netty.Loop.run(Loop.java:9)"), 3);
            model.applyUpdate(Fixtures.target(), second, List.of(
                    new LoopSnapshot("loop-0", 30, 21, 6, 10_300, 0, new LoopHealth(0.4, 35, false, 0, List.of(), 0), 5_150),
                    new LoopSnapshot("loop-1", 28, 21, 6, 10_450, 0, blocked, 5_225)), 0);
            press(model, "l");
            List<String> s = v.render(model);
            assertThat(s.get(4)).contains("LOOP", "TASKS", "IN FLIGHT", "STUCK", "STARTED", "NEW/S", "REFUSED", "LAG", "BUSY", "BLOCKED");
            assertThat(s.get(5)).matches("! loop-0 +30 +21 +6 +10,300 +300 +0 +0ms +35% no");
            assertThat(s.get(6)).matches("! loop-1 +28 +21 +6 +10,450 +50 +0 +2\\.3s +100% yes 2\\.3s");
            assertThat(s.get(7)).matches("! all 2 +58 +42 +12 +20,750 +350 +0");
            assertThat(VirtualScreen.text(s)).contains("loop-1 is blocked for 2.3s (3 episodes since start); its stack:",
                    "    at io.routerctl.samples.Slow.handle(Slow.java:42)");
            assertThat(s.get(23)).contains("Esc back");
        }
    }

    @Test
    void helpOverlayListsEveryKey() throws Exception {
        try (VirtualScreen v = new VirtualScreen(80, 24)) {
            TopModel model = Fixtures.incidentModel();
            press(model, "?");
            String text = VirtualScreen.text(v.render(model));
            for (String[] key : HelpOverlay.KEYS) {
                assertThat(text).contains(key[1]);
            }
            assertThat(text).contains("routerctl top: keys", "rows marked ! are stuck");
            press(model, Keys.ESC);
            assertThat(VirtualScreen.text(v.render(model))).doesNotContain("routerctl top: keys");
        }
    }

    @Test
    void resizeRelaysTheScreenForTheNewSize() throws Exception {
        try (VirtualScreen v = new VirtualScreen(80, 24)) {
            TopModel model = Fixtures.incidentModel();
            assertThat(v.render(model).get(TABLE_HEADER_ROW)).doesNotContain("KIND");
            v.resize(200, 60);
            List<String> wide = v.render(model);
            assertThat(wide.get(TABLE_HEADER_ROW)).contains("KIND", "LOOP", "STATE");
            assertThat(wide.get(58)).startsWith("rows 1-42 of 42");
            assertThat(model.pageRows()).isEqualTo(53);
            v.resize(60, 16);
            List<String> small = v.render(model);
            assertThat(small).hasSize(16);
            assertThat(small.get(14)).startsWith("rows 1-9 of 42");
            assertThat(small.get(FIRST_ROW)).startsWith("!").contains("127.0.0.1:40112");
        }
    }

    @Test
    void narrowTerminalKeepsTheMarkerIdAndAddressAndTooSmallSaysSo() throws Exception {
        try (VirtualScreen v = new VirtualScreen(40, 12)) {
            List<String> s = v.render(Fixtures.incidentModel());
            assertThat(s.get(TABLE_HEADER_ROW)).contains("ID", "REMOTE", "SINCE");
            assertThat(s.get(FIRST_ROW)).startsWith("!").contains("2561", "127.0.0.1:40112", "9.8s");
            assertThat(s).allSatisfy(line -> assertThat(Cells.width(line)).isLessThanOrEqualTo(40));
            v.resize(20, 5);
            assertThat(v.render(Fixtures.incidentModel()).get(0)).startsWith("terminal too small");
        }
    }

    @Test
    void targetGoneIsSaidOnTheWarningsLineAndInTheHeader() throws Exception {
        try (VirtualScreen v = new VirtualScreen(80, 24)) {
            TopModel model = Fixtures.incidentModel();
            model.linkLost(3, "connection refused");
            List<String> s = v.render(model);
            assertThat(s.get(0)).endsWith("reconnecting (attempt 3)");
            assertThat(s.get(3)).startsWith("target gone: reconnecting (attempt 3)...  (connection refused)");
            assertThat(s.get(FIRST_ROW)).as("the last rows stay visible").contains("127.0.0.1:40112");
        }
    }

    @Test
    void headerShowsPausedDroppedUpdatesAndTheRate() throws Exception {
        try (VirtualScreen v = new VirtualScreen(100, 24)) {
            TopModel model = Fixtures.incidentModel();
            List<TaskSnapshot> tasks = new ArrayList<>(Fixtures.incident());
            TaskReport later = new TaskReport(Fixtures.T0 + 2_000, 42, 12, 42, List.of(), tasks, 0);
            model.applyUpdate(Fixtures.target(), later, Fixtures.loops(10_500, 10_500), 3);
            List<String> s = v.render(model);
            assertThat(s.get(1)).contains("req/s 150", "updates dropped 3");
            press(model, Keys.SPACE);
            model.applyUpdate(Fixtures.target(), later, Fixtures.loops(10_500, 10_500), 0);
            model.applyUpdate(Fixtures.target(), later, Fixtures.loops(10_500, 10_500), 0);
            s = v.render(model);
            assertThat(s.get(0)).endsWith("paused (2 updates since)");
            assertThat(s.get(22)).contains("PAUSED");
        }
    }

    @Test
    void theHeaderDrawsStuckAndInFlightOverTheLastFiveMinutes() throws Exception {
        TopModel model = new TopModel("pid 4242", 5_000, null, 200, 2_000);
        // One update every 10 s for 5 minutes: nothing stuck for 4 minutes, then stuck climbs to 12.
        for (int second = 0; second <= 300; second += 10) {
            int stuck = second < 240 ? 0 : (second - 230) / 6;
            List<TaskSnapshot> tasks = new java.util.ArrayList<>();
            for (int i = 0; i < stuck; i++) {
                tasks.add(Fixtures.stuckRequest(2561 + 2L * i, 40112 + i, 9_800));
            }
            for (int i = 0; i < 30; i++) {
                tasks.add(Fixtures.runningRequest(3001 + 2L * i, 41000 + i, 5));
            }
            TaskReport r = Fixtures.report(tasks, tasks.size());
            model.applyUpdate(Fixtures.target(), new TaskReport(Fixtures.T0 + second * 1_000L, r.inFlight(), r.stuck(),
                    r.matched(), r.groups(), r.tasks(), 0), Fixtures.loops(10_000, 10_400), 0);
        }
        try (VirtualScreen v = new VirtualScreen(100, 24)) {
            String trends = v.render(model).get(2);
            assertThat(trends).startsWith("last 5m  stuck ").contains(" max 11   in flight ").endsWith(" max 41");
            String stuckLine = trends.substring("last 5m  stuck ".length(), trends.indexOf(" max 11"));
            assertThat(stuckLine).as("zero for four minutes, then rising to a full block")
                    .matches("\\.+[▁▂▃▄▅▆▇]+█");
            assertThat(stuckLine.indexOf('▁')).as("the rise is in the last fifth of the window")
                    .isGreaterThan(stuckLine.length() * 3 / 4);
        }
    }

    @Test
    void theDetailShowsTheWaitedOnPointsHistogramWithThisWaitMarked() throws Exception {
        TopModel model = Fixtures.incidentModel();
        try (VirtualScreen v = new VirtualScreen(100, 40)) {
            press(model, Keys.ENTER);
            TaskSnapshot lost = model.detailTask();
            java.util.List<Long> counts = new java.util.ArrayList<>(java.util.Collections.nCopies(
                    io.routerctl.probes.snapshot.WaitHistogram.BOUNDS_MS.size() + 1, 0L));
            counts.set(5, 4_000L); // <= 5 ms
            counts.set(6, 780L);   // <= 10 ms
            counts.set(7, 22L);    // <= 20 ms
            model.detailLoaded(lost.id(), new TaskFamily(lost, null, List.of(), List.of(),
                    new io.routerctl.probes.snapshot.WaitHistogram("auth", 4_802,
                            io.routerctl.probes.snapshot.WaitHistogram.BOUNDS_MS, counts, 4.2, 10.0)));
            List<String> s = v.render(model);
            int at = -1;
            for (int i = 0; i < s.size(); i++) {
                if (s.get(i).startsWith("  history  ")) {
                    at = i;
                }
            }
            assertThat(at).as(VirtualScreen.text(s)).isPositive();
            assertThat(s.get(at)).isEqualTo("  history  4,802 completed waits on auth: usual p99 10.0ms, this one 9.8s (980x)");
            String bars = s.get(at + 1);
            String marker = s.get(at + 2);
            assertThat(bars.substring(11)).startsWith("          ██▂▂▁▁");
            // 9.8 s falls in the bucket up to 10 s: the 16th, two cells each.
            assertThat(marker.indexOf('▲')).isEqualTo(11 + 15 * 2);
            assertThat(marker).endsWith("▲ this wait, 9.8s");
            assertThat(s.get(at + 3).substring(11)).startsWith("      1ms   10ms  100ms 1s    10s   100s");
        }
    }
}
