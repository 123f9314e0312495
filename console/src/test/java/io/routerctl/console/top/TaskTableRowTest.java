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
    void aConnectionWithNoRequestIsIdle() {
        assertThat(TaskTableView.row(CONNECTION, TableLayout.of(200, true), false)).contains("idle").doesNotContain("serving");
    }
}
