package io.routerctl.probes.query;

import io.routerctl.probes.query.SavedTasks;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * Tasks of one process at two moments, A then B, classified by id at a stuck threshold.
 *
 * <ul>
 *   <li><b>persistent</b>: stuck in A, still there and stuck in B, with no progress in between:
 *       the real hangs (B's view of them).</li>
 *   <li><b>new</b>: stuck in B but not stuck (or not there) in A.</li>
 *   <li><b>resolved</b>: stuck in A, and in B gone or progressed: slow, not stuck (A's view).</li>
 * </ul>
 *
 * <h2>Progress between A and B</h2>
 * A task stuck in both made progress in between if it recorded more steps, or its time without
 * progress shrank (a wait ended). Both are read off the target's own clock, so the two moments'
 * wall clocks never enter into it. Such a task was stuck twice, not all along: it counts as
 * resolved in A and new in B.
 *
 * <h2>Thread safety</h2>
 * Immutable; safe from any thread.
 *
 * @param persistent     B's view of the tasks stuck all along, longest without progress first
 * @param fresh          B's view of the tasks stuck only in B
 * @param resolved       A's view of the tasks stuck in A that are gone or progressed in B
 * @param resolvedGone   how many of {@code resolved} are gone from B
 * @param groups         {@code persistent} grouped as dump-stuck groups stuck tasks
 * @param newGroups      {@code fresh} grouped likewise
 */
public record TaskDiff(List<TaskSnapshot> persistent, List<TaskSnapshot> fresh, List<TaskSnapshot> resolved,
                       int resolvedGone, List<StuckGroup> groups, List<StuckGroup> newGroups) {

    /** Classifies the tasks of {@code a} and {@code b} at {@code thresholdMs}, with the adaptive rule. */
    public static TaskDiff of(SavedTasks a, SavedTasks b, long thresholdMs) {
        return of(a, b, thresholdMs, true, t -> true);
    }

    /**
     * As {@link #of(SavedTasks, SavedTasks, long)}, by the adaptive rule too only when
     * {@code adaptive}, keeping only the tasks {@code keep} accepts.
     */
    public static TaskDiff of(SavedTasks a, SavedTasks b, long thresholdMs, boolean adaptive,
                              java.util.function.Predicate<TaskSnapshot> keep) {
        long elapsed = b.takenAtEpochMs() - a.takenAtEpochMs();
        List<TaskSnapshot> persistent = new ArrayList<>();
        List<TaskSnapshot> fresh = new ArrayList<>();
        List<TaskSnapshot> resolved = new ArrayList<>();
        int gone = 0;
        for (TaskSnapshot rawB : b.tasks()) {
            TaskSnapshot tb = b.classify(rawB, thresholdMs, adaptive);
            if (!tb.stuck() || !keep.test(tb)) {
                continue;
            }
            TaskSnapshot ta = a.byId(tb.id());
            boolean stuckInA = ta != null && a.classify(ta, thresholdMs, adaptive).stuck();
            if (stuckInA && !progressed(ta, tb, elapsed)) {
                persistent.add(tb);
            } else {
                fresh.add(tb);
            }
        }
        for (TaskSnapshot rawA : a.tasks()) {
            TaskSnapshot ta = a.classify(rawA, thresholdMs, adaptive);
            if (!ta.stuck() || !keep.test(ta)) {
                continue;
            }
            TaskSnapshot tb = b.byId(ta.id());
            if (tb == null) {
                resolved.add(ta);
                gone++;
            } else if (!b.classify(tb, thresholdMs, adaptive).stuck() || progressed(ta, tb, elapsed)) {
                resolved.add(ta);
            }
        }
        return new TaskDiff(persistent, fresh, resolved, gone, b.groupsOf(persistent), b.groupsOf(fresh));
    }

    /** Whether the task made progress between A and B (see the class comment). */
    static boolean progressed(TaskSnapshot a, TaskSnapshot b, long elapsedMs) {
        int stepsA = a.steps().size() + a.stepsDropped();
        int stepsB = b.steps().size() + b.stepsDropped();
        return stepsB > stepsA || b.idleMs() < a.idleMs();
    }

    /** How many of {@link #resolved()} were still there in B, having progressed. */
    public int resolvedProgressed() {
        return resolved.size() - resolvedGone;
    }
}
