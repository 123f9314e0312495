package io.routerctl.console.top;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.ArrayList;
import java.util.List;

/** Fixed wire data for the tests: the sample router's story, a few stuck requests waiting on auth. */
final class Fixtures {

    static final long T0 = 1_764_050_000_000L;

    private Fixtures() {
    }

    static TargetInfo target(long pid, long uptimeMs) {
        return new TargetInfo(pid, "sample-router", T0 - uptimeMs, uptimeMs, 2, 1, "17.0.15");
    }

    static TargetInfo target() {
        return target(4242, 3_723_000);
    }

    /** A request stuck on auth after auth-requested, idle for {@code idleMs}. */
    static TaskSnapshot stuckRequest(long id, int port, long idleMs) {
        List<StepSnapshot> steps = List.of(
                new StepSnapshot("request-read", 0.0),
                new StepSnapshot("route-resolved", 0.012),
                new StepSnapshot("auth-requested", 0.031));
        return new TaskSnapshot(id, TaskKind.REQUEST, id - 1, "127.0.0.1:" + port, "127.0.0.1:8080", "loop-" + ((id / 2) % 2),
                idleMs + 1, TaskState.WAITING, "auth-requested", idleMs, "auth", idleMs, "LegacyAuthAdapter.java:41", true,
                idleMs, steps, 0, List.of());
    }

    /** A request running along, not stuck. */
    static TaskSnapshot runningRequest(long id, int port, long ageMs) {
        List<StepSnapshot> steps = List.of(
                new StepSnapshot("request-read", 0.0),
                new StepSnapshot("route-resolved", 0.010),
                new StepSnapshot("auth-requested", 0.020),
                new StepSnapshot("auth-completed", 1.9),
                new StepSnapshot("upstream-connected", 2.4));
        return new TaskSnapshot(id, TaskKind.REQUEST, id - 1, "127.0.0.1:" + port, "127.0.0.1:8080", "loop-" + ((id / 2) % 2),
                ageMs, TaskState.WAITING, "upstream-connected", 3L, "upstream", 3L, "UpstreamClient.java:88", false,
                3, steps, 0, List.of());
    }

    /** A report holding {@code tasks}, with the stuck ones grouped as the target would. */
    static TaskReport report(List<TaskSnapshot> tasks, int matched) {
        int stuck = (int) tasks.stream().filter(TaskSnapshot::stuck).count();
        long oldest = tasks.stream().filter(TaskSnapshot::stuck).mapToLong(TaskSnapshot::idleMs).max().orElse(0);
        List<StuckGroup> groups = stuck == 0 ? List.of()
                : List.of(new StuckGroup(TaskKind.REQUEST, "auth-requested", "auth", "LegacyAuthAdapter.java:41", stuck, oldest));
        return new TaskReport(T0, matched, stuck, matched, groups, tasks, 0);
    }

    /** Twelve stuck requests and thirty running ones, longest without progress first. */
    static List<TaskSnapshot> incident() {
        List<TaskSnapshot> tasks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            tasks.add(stuckRequest(2561 + 2L * i, 40112 + i, 9_800 - 300L * i));
        }
        for (int i = 0; i < 30; i++) {
            tasks.add(runningRequest(3001 + 2L * i, 41000 + i, 5 + i));
        }
        return tasks;
    }

    /** Two loops; half of what each registered were requests (the rest connections). */
    static List<LoopSnapshot> loops(long registered0, long registered1) {
        return List.of(new LoopSnapshot("loop-0", 30, 21, 6, registered0, 0, null, registered0 / 2),
                new LoopSnapshot("loop-1", 28, 21, 6, registered1, 0, null, registered1 / 2));
    }

    /** A model that received the incident once. */
    static TopModel incidentModel() {
        TopModel model = new TopModel("pid 4242", 5_000, null, 200, 2_000);
        List<TaskSnapshot> tasks = incident();
        model.applyUpdate(target(), report(tasks, tasks.size()), loops(10_000, 10_400), 0);
        return model;
    }
}
