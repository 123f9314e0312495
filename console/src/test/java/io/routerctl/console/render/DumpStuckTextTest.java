package io.routerctl.console.render;

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
              + "2 requests stuck after auth-requested, waiting on auth (oldest 12.3s)\n"
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
    void nothingStuckIsOneLine() {
        assertThat(DumpStuckText.render(report(41, 0, 0, List.of(), List.of()), 5_000, 100))
                .isEqualTo("No stuck tasks (in flight 41, threshold 5s).\n");
    }
}
