package io.routerctl.console.top;

import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.snapshot.TaskState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TaskTableRowTest {

    private static final TaskSnapshot CONNECTION = new TaskSnapshot(257, TaskKind.CONNECTION, null, "127.0.0.1:42001",
            "127.0.0.1:8080", "loop-0", 12_000, TaskState.IDLE, null, null, null, null, null, false, 12_000, List.of(),
            0, List.of(), null, "open before attach", true);

    @Test
    void aConnectionWhoseRequestIsInTheTableIsServingAndItsAgeALowerBound() {
        String row = TaskTableView.row(CONNECTION, TableLayout.of(200, true), true);
        assertThat(row).contains("serving").doesNotContain("idle").contains("\u226512s");
    }

    @Test
    void at120ColumnsAStuckRequestReadsItsKindPathAndWarningWhole() {
        TaskSnapshot request = new TaskSnapshot(8192, TaskKind.REQUEST, 257L, "127.0.0.1:35292", "127.0.0.1:8080",
                "loop-0", 23_000, TaskState.WAITING, "auth-requested", 23_000L, "auth", 23_000L, null, true, 23_000,
                List.of(), 0, List.of("lost-wakeup"), "older-than", "GET /api/items/12345", false);
        String row = TaskTableView.row(request, TableLayout.of(120, true), false);
        assertThat(row).startsWith("!").contains(" request ", " GET /api/items/12345 ", " auth-requested ")
                .endsWith(" lost-wakeup").doesNotContain("…");
        assertThat(TaskTableView.row(request, TableLayout.of(200, true), false)).contains("lost-wakeup,stuck");
    }

    @Test
    void at120ColumnsTwoWarningsShowTheFirstWholeRatherThanBothCut() {
        TaskSnapshot request = new TaskSnapshot(8193, TaskKind.REQUEST, 257L, "127.0.0.1:35293", "127.0.0.1:8080",
                "loop-0", 23_000, TaskState.WAITING, "auth-requested", 23_000L, "auth", 23_000L, null, true, 23_000,
                List.of(), 0, List.of("lost-wakeup", "orphaned"), "older-than", "GET /api/items/12345", false);
        assertThat(TaskTableView.row(request, TableLayout.of(120, true), false)).endsWith(" lost-wakeup")
                .doesNotContain("…");
        assertThat(TaskTableView.row(request, TableLayout.of(200, true), false)).contains("lost-wakeup,orphaned");
    }

    @Test
    void aConnectionWithNoRequestIsIdle() {
        assertThat(TaskTableView.row(CONNECTION, TableLayout.of(200, true), false)).contains("idle").doesNotContain("serving");
    }
}
