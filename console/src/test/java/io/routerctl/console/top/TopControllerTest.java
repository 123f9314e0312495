package io.routerctl.console.top;

import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.routerctl.console.top.Keys.press;
import static org.assertj.core.api.Assertions.assertThat;

class TopControllerTest {

    private static TopModel modelWithRows(int rows, int matched) {
        TopModel model = new TopModel("pid 4242", 5_000, null, 200, 2_000);
        model.setPageRows(18);
        List<TaskSnapshot> tasks = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            tasks.add(Fixtures.runningRequest(10 + i, 40000 + i, 100));
        }
        model.applyUpdate(Fixtures.target(), Fixtures.report(tasks, matched), Fixtures.loops(1, 1), 0);
        return model;
    }

    @Test
    void arrowsPagesAndGMoveTheSelectionWithinTheRows() {
        TopModel model = modelWithRows(50, 50);
        press(model, Keys.DOWN, Keys.DOWN);
        assertThat(model.selectedTask().id()).isEqualTo(12);
        press(model, Keys.UP, Keys.UP, Keys.UP);
        assertThat(model.selectedIndex()).isZero();
        press(model, Keys.PAGE_DOWN);
        assertThat(model.selectedIndex()).isEqualTo(17);
        assertThat(model.scrollTop()).isZero();
        press(model, Keys.PAGE_DOWN);
        assertThat(model.selectedIndex()).isEqualTo(34);
        assertThat(model.scrollTop()).isEqualTo(34 - 18 + 1);
        press(model, "G");
        assertThat(model.selectedIndex()).isEqualTo(49);
        press(model, "g");
        assertThat(model.selectedIndex()).isZero();
        assertThat(model.scrollTop()).isZero();
        press(model, Keys.PAGE_UP);
        assertThat(model.selectedIndex()).isZero();
    }

    @Test
    void untouchedTheSelectionStaysOnTheFirstRowWhileRowsReorder() {
        TopModel model = modelWithRows(200, 200);
        long first = model.selectedTask().id();
        List<TaskSnapshot> rotated = new ArrayList<>(model.rows().subList(1, 200));
        rotated.add(model.rows().get(0));
        model.applyUpdate(Fixtures.target(), Fixtures.report(rotated, 200), Fixtures.loops(1, 1), 0);
        assertThat(model.selectedIndex()).isZero();
        assertThat(model.selectedTask().id()).isNotEqualTo(first);
        assertThat(model.scrollTop()).as("the screen shows rows 1-18, not the row the first task moved to").isZero();
        press(model, Keys.DOWN, Keys.UP);
        model.applyUpdate(Fixtures.target(), Fixtures.report(new ArrayList<>(model.rows().subList(1, 200)), 199),
                Fixtures.loops(1, 1), 0);
        assertThat(model.selectedIndex()).as("back on the first row, it stays there").isZero();
    }

    @Test
    void aConnectionWhoseRequestIsListedTakesNoRowUntilCShowsIt() {
        TopModel model = new TopModel("pid 4242", 5_000, null, 200, 2_000);
        model.setPageRows(18);
        TaskSnapshot request = Fixtures.stuckRequest(2561, 40112, 9_000);
        TaskSnapshot itsConnection = connection(2560, 40112);
        TaskSnapshot idleConnection = connection(2600, 40200);
        model.applyUpdate(Fixtures.target(), Fixtures.report(List.of(request, itsConnection, idleConnection), 3),
                Fixtures.loops(1, 1), 0);
        assertThat(model.rows()).extracting(TaskSnapshot::id).containsExactly(2561L, 2600L);
        assertThat(FooterView.status(model)).startsWith("rows 1-2 of 2")
                .contains("1 connection hidden (c)");
        press(model, Keys.DOWN);
        press(model, "c");
        assertThat(model.rows()).extracting(TaskSnapshot::id).containsExactly(2561L, 2560L, 2600L);
        assertThat(model.selectedTask().id()).as("the selection stays on its task").isEqualTo(2600L);
        assertThat(FooterView.status(model)).startsWith("rows 1-3 of 3").doesNotContain("hidden");
        press(model, "c");
        assertThat(model.rows()).extracting(TaskSnapshot::id).containsExactly(2561L, 2600L);
    }

    private static TaskSnapshot connection(long id, int port) {
        return new TaskSnapshot(id, io.routerctl.probes.snapshot.TaskKind.CONNECTION, null, "127.0.0.1:" + port,
                "127.0.0.1:8080", "loop-0", 9_500, io.routerctl.probes.snapshot.TaskState.IDLE, null, null, null, null,
                null, false, 9_500, List.of(), 0, List.of());
    }

    @Test
    void selectionFollowsTheSameTaskWhenAnUpdateReordersRows() {
        TopModel model = modelWithRows(5, 5);
        press(model, Keys.DOWN, Keys.DOWN);
        long chosen = model.selectedTask().id();
        List<TaskSnapshot> reversed = new ArrayList<>(model.rows());
        java.util.Collections.reverse(reversed);
        model.applyUpdate(Fixtures.target(), Fixtures.report(reversed, 5), Fixtures.loops(1, 1), 0);
        assertThat(model.selectedTask().id()).isEqualTo(chosen);
        assertThat(model.selectedIndex()).isEqualTo(2);
        model.applyUpdate(Fixtures.target(), Fixtures.report(reversed.subList(3, 5), 2), Fixtures.loops(1, 1), 0);
        assertThat(model.selectedIndex()).isEqualTo(1);
    }

    @Test
    void leftRightPickTheSortColumnAndIInvertsIt() {
        TopModel model = modelWithRows(5, 5);
        assertThat(model.query().sort()).isEqualTo(TaskQuery.Sort.IDLE);
        press(model, Keys.RIGHT);
        assertThat(model.sortColumn()).isEqualTo(Column.WAITING_ON);
        assertThat(model.query().sort()).isEqualTo(TaskQuery.Sort.WAITING);
        press(model, Keys.RIGHT);
        assertThat(model.sortColumn()).as("WARN cannot be sorted on, so it is skipped").isEqualTo(Column.ID);
        press(model, Keys.LEFT, Keys.LEFT, Keys.LEFT);
        assertThat(model.sortColumn()).isEqualTo(Column.LAST_STEP);
        assertThat(model.query().descending()).isFalse();
        press(model, "i");
        assertThat(model.query().descending()).isTrue();
        press(model, "i");
        assertThat(model.query().descending()).isFalse();
    }

    @Test
    void sortChangeStartsFromTheTopAgainWithTheInitialWindow() {
        TopModel model = modelWithRows(200, 200_000);
        press(model, "G");
        assertThat(model.windowRows()).isGreaterThan(200);
        press(model, Keys.RIGHT);
        assertThat(model.selectedIndex()).isZero();
        assertThat(model.query().limit()).isEqualTo(200);
    }

    @Test
    void filterPromptEditsAppliesOnEnterAndEscClearsIt() {
        TopModel model = modelWithRows(5, 5);
        press(model, "/", "auht", Keys.BACKSPACE, Keys.BACKSPACE, "th");
        assertThat(model.prompting()).isTrue();
        assertThat(model.promptText()).isEqualTo("auth");
        assertThat(model.query().filter()).as("not applied while typing").isNull();
        press(model, Keys.ENTER);
        assertThat(model.prompting()).isFalse();
        assertThat(model.query().filter()).isEqualTo("auth");
        press(model, "/");
        assertThat(model.promptText()).as("the prompt starts from the filter in use").isEqualTo("auth");
        press(model, Keys.ESC);
        assertThat(model.prompting()).isFalse();
        assertThat(model.query().filter()).isNull();
    }

    @Test
    void keysTypedInThePromptAreTextNotCommands() {
        TopModel model = modelWithRows(5, 5);
        press(model, "/", "q s l?", Keys.ENTER);
        assertThat(model.quitRequested()).isFalse();
        assertThat(model.stuckOnly()).isFalse();
        assertThat(model.view()).isEqualTo(TopModel.View.TABLE);
        assertThat(model.filter()).isEqualTo("q s l?");
    }

    @Test
    void badRegexKeepsThePromptOpenWithTheReason() {
        TopModel model = modelWithRows(5, 5);
        press(model, "/", "auth(", Keys.ENTER);
        assertThat(model.prompting()).isTrue();
        assertThat(model.promptError()).isNotBlank();
        assertThat(model.filter()).isNull();
        press(model, Keys.BACKSPACE);
        assertThat(model.promptError()).isNull();
    }

    @Test
    void escInTheTableClearsAnAppliedFilter() {
        TopModel model = modelWithRows(5, 5);
        press(model, "/", "auth", Keys.ENTER, Keys.ESC);
        assertThat(model.filter()).isNull();
        assertThat(model.quitRequested()).isFalse();
    }

    @Test
    void sTogglesStuckOnlyInTheQuery() {
        TopModel model = modelWithRows(5, 5);
        press(model, "s");
        assertThat(model.query().stuckOnly()).isTrue();
        press(model, "s");
        assertThat(model.query().stuckOnly()).isFalse();
    }

    @Test
    void pausedKeepsTheFrozenRowsAndCountsUpdatesUntilResumed() {
        TopModel model = modelWithRows(5, 5);
        List<TaskSnapshot> before = model.rows();
        press(model, Keys.SPACE);
        assertThat(model.paused()).isTrue();
        List<TaskSnapshot> newer = List.of(Fixtures.stuckRequest(99, 50000, 7_000));
        model.applyUpdate(Fixtures.target(), Fixtures.report(newer, 1), Fixtures.loops(2, 2), 0);
        model.applyUpdate(Fixtures.target(), Fixtures.report(newer, 1), Fixtures.loops(3, 3), 0);
        assertThat(model.rows()).isEqualTo(before);
        assertThat(model.updatesWhilePaused()).isEqualTo(2);
        press(model, Keys.SPACE);
        assertThat(model.paused()).isFalse();
        assertThat(model.rows()).extracting(TaskSnapshot::id).containsExactly(99L);
        assertThat(model.updatesWhilePaused()).isZero();
    }

    @Test
    void enterOpensTheSelectedTasksDetailAndEscComesBack() {
        TopModel model = modelWithRows(5, 5);
        press(model, Keys.DOWN, Keys.ENTER);
        assertThat(model.view()).isEqualTo(TopModel.View.DETAIL);
        assertThat(model.detailId()).isEqualTo(11);
        assertThat(model.detailTask().id()).isEqualTo(11);
        press(model, Keys.ESC);
        assertThat(model.view()).isEqualTo(TopModel.View.TABLE);
        assertThat(model.selectedTask().id()).isEqualTo(11);
    }

    @Test
    void qQuitsOnlyFromTheTable() {
        TopModel model = modelWithRows(5, 5);
        press(model, Keys.ENTER, "q");
        assertThat(model.quitRequested()).isFalse();
        assertThat(model.notice()).contains("Esc");
        press(model, Keys.ESC, "l", "q");
        assertThat(model.quitRequested()).isFalse();
        press(model, Keys.ESC, "q");
        assertThat(model.quitRequested()).isTrue();
    }

    @Test
    void escThenAKeyArrivingTogetherAsAltKeyIsBothKeys() {
        TopModel model = modelWithRows(5, 5);
        press(model, Keys.ENTER, new com.googlecode.lanterna.input.KeyStroke('q', false, true));
        assertThat(model.view()).isEqualTo(TopModel.View.TABLE);
        assertThat(model.quitRequested()).isTrue();
    }

    @Test
    void ctrlCQuitsFromAnywhere() {
        TopModel model = modelWithRows(5, 5);
        press(model, Keys.ENTER, "?", Keys.CTRL_C);
        assertThat(model.quitRequested()).isTrue();
    }

    @Test
    void helpOverlaySwallowsKeysUntilClosed() {
        TopModel model = modelWithRows(5, 5);
        press(model, "?");
        assertThat(model.helpVisible()).isTrue();
        press(model, Keys.DOWN, "s");
        assertThat(model.selectedIndex()).isZero();
        assertThat(model.stuckOnly()).isFalse();
        press(model, "q");
        assertThat(model.helpVisible()).isFalse();
        assertThat(model.quitRequested()).as("q closes the overlay first").isFalse();
        press(model, "?", Keys.ESC);
        assertThat(model.helpVisible()).isFalse();
    }

    @Test
    void lTogglesTheLoopsView() {
        TopModel model = modelWithRows(5, 5);
        press(model, "l");
        assertThat(model.view()).isEqualTo(TopModel.View.LOOPS);
        press(model, "l");
        assertThat(model.view()).isEqualTo(TopModel.View.TABLE);
    }

    @Test
    void scrollingNearTheEndOfTheLoadedRowsAsksForMoreUpToTheCap() {
        TopModel model = modelWithRows(200, 200_000);
        assertThat(model.query().limit()).isEqualTo(200);
        press(model, Keys.PAGE_DOWN, Keys.PAGE_DOWN, Keys.PAGE_DOWN, Keys.PAGE_DOWN, Keys.PAGE_DOWN,
                Keys.PAGE_DOWN, Keys.PAGE_DOWN, Keys.PAGE_DOWN, Keys.PAGE_DOWN, Keys.PAGE_DOWN);
        assertThat(model.selectedIndex()).isEqualTo(170);
        assertThat(model.query().limit()).as("still more than a page ahead").isEqualTo(200);
        press(model, Keys.PAGE_DOWN);
        assertThat(model.query().limit()).as("within a page of the end: ask for more").isEqualTo(400);
        press(model, "G");
        assertThat(model.query().limit()).isEqualTo(2_000);
    }

    @Test
    void noMoreRowsAreAskedForWhenAllMatchesAreLoaded() {
        TopModel model = modelWithRows(50, 50);
        press(model, "G");
        assertThat(model.query().limit()).isEqualTo(200);
    }
}
