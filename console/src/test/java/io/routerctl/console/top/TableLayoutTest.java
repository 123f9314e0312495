package io.routerctl.console.top;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TableLayoutTest {

    @Test
    void wideTerminalShowsEveryColumn() {
        TableLayout layout = TableLayout.of(200, true);
        assertThat(layout.columns()).extracting(TableLayout.Placed::column).containsExactly(Column.values());
        assertFits(layout);
    }

    @Test
    void at120ColumnsKindWhatAndWarnAreWholeAndOnlyLoopAndStateMakeRoomForThem() {
        TableLayout layout = TableLayout.of(120, true);
        assertThat(layout.columns()).extracting(TableLayout.Placed::column)
                .containsExactly(Column.ID, Column.KIND, Column.WHAT, Column.REMOTE, Column.AGE,
                        Column.LAST_STEP, Column.SINCE, Column.WAITING_ON, Column.WARN);
        assertThat(layout.find(Column.KIND).width()).as("connection").isGreaterThanOrEqualTo("connection".length());
        assertThat(layout.find(Column.WARN).width()).as("lost-wakeup").isGreaterThanOrEqualTo("lost-wakeup".length());
        assertThat(layout.find(Column.WHAT).width()).as("GET /api/items/12345").isGreaterThanOrEqualTo(20);
        assertThat(layout.find(Column.LAST_STEP).width()).as("auth-requested").isGreaterThanOrEqualTo(14);
        assertFits(layout);
    }

    @Test
    void theWhatColumnOnlyWhenSomeTaskHasALabel() {
        assertThat(TableLayout.of(200).columns()).extracting(TableLayout.Placed::column).doesNotContain(Column.WHAT);
        assertThat(TableLayout.of(80, true).columns()).extracting(TableLayout.Placed::column)
                .doesNotContain(Column.WHAT).contains(Column.REMOTE, Column.WAITING_ON);
    }

    @Test
    void eightyColumnsDropLoopKindStateAndAgeButKeepWhereItIsStuckAndItsWarningWhole() {
        TableLayout layout = TableLayout.of(80);
        assertThat(layout.columns()).extracting(TableLayout.Placed::column).containsExactly(
                Column.ID, Column.REMOTE, Column.LAST_STEP, Column.SINCE, Column.WAITING_ON, Column.WARN);
        assertThat(layout.find(Column.WARN).width()).as("lost-wakeup").isGreaterThanOrEqualTo(11);
        assertThat(layout.find(Column.LAST_STEP).width()).as("auth-requested").isGreaterThanOrEqualTo(14);
        assertThat(layout.find(Column.REMOTE).width()).as("an ip:port is never cut").isGreaterThanOrEqualTo(21);
        assertFits(layout);
    }

    @Test
    void veryNarrowTerminalKeepsIdRemoteAndSince() {
        TableLayout layout = TableLayout.of(40);
        assertThat(layout.columns()).extracting(TableLayout.Placed::column)
                .containsExactly(Column.ID, Column.REMOTE, Column.SINCE);
        assertFits(layout);
    }

    @Test
    void columnsNeverOverlapAtAnyWidth() {
        for (int width = 30; width <= 250; width++) {
            TableLayout layout = TableLayout.of(width);
            int end = TableLayout.MARKER_WIDTH;
            for (TableLayout.Placed p : layout.columns()) {
                assertThat(p.x()).as("width %d, %s", width, p.column()).isGreaterThanOrEqualTo(end);
                end = p.x() + p.width() + TableLayout.GAP;
            }
            assertFits(layout);
        }
    }

    private static void assertFits(TableLayout layout) {
        TableLayout.Placed last = layout.columns().get(layout.columns().size() - 1);
        assertThat(last.x() + last.width()).isLessThanOrEqualTo(layout.width());
    }
}
