package io.routerctl.console.render;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.List;

/** Snapshot records as a target would send them, for rendering tests. */
final class Snapshots {

    private Snapshots() {
    }

    static TaskSnapshot stuckRequest(long id, int port, long ageMs, long waitingMs, List<String> warnings) {
        return new TaskSnapshot(id, TaskKind.REQUEST, id - 1, "127.0.0.1:" + port, "127.0.0.1:8080", "loop-1", ageMs,
                TaskState.WAITING, "auth-requested", waitingMs, "auth", waitingMs, "LegacyAuthAdapter.java:41", true,
                waitingMs,
                List.of(new StepSnapshot("request-read", 0.0), new StepSnapshot("route-resolved", 0.012),
                        new StepSnapshot("auth-requested", 0.02)),
                0, warnings);
    }

    static StuckGroup authGroup(int count, long oldestMs) {
        return new StuckGroup(TaskKind.REQUEST, "auth-requested", "auth", "LegacyAuthAdapter.java:41", count, oldestMs);
    }

    static TaskReport report(int inFlight, int stuck, int matched, List<StuckGroup> groups, List<TaskSnapshot> tasks) {
        return new TaskReport(1_764_050_000_000L, inFlight, stuck, matched, groups, tasks, 0);
    }
}
