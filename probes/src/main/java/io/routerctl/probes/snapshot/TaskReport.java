package io.routerctl.probes.snapshot;

import java.util.List;

/**
 * The answer to a {@link TaskQuery}.
 *
 * @param takenAtEpochMs wall-clock time in the target when the report was taken
 * @param inFlight       tasks in flight (not idle connections' requests that finished)
 * @param stuck          tasks that meet the stuck rule, all of them, not just those returned
 * @param matched        tasks that matched the query, all of them
 * @param groups         stuck tasks grouped by kind, last step and waiting-on; largest first
 * @param tasks          at most {@code limit} matching tasks, in the requested order
 * @param refused        registrations refused since start because a shard was full (overload)
 * @param points         what the target knows of each await probe point: wait percentiles, lost
 *                       wake-ups, double and late completions
 * @param growth         live tasks only grew for the last five minutes (a leak?), or {@code null}
 */
public record TaskReport(
        long takenAtEpochMs,
        int inFlight,
        int stuck,
        int matched,
        List<StuckGroup> groups,
        List<TaskSnapshot> tasks,
        long refused,
        List<PointSummary> points,
        TaskGrowth growth) {

    public TaskReport {
        groups = groups == null ? List.of() : List.copyOf(groups);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        points = points == null ? List.of() : List.copyOf(points);
    }

    /** A report without growth. */
    public TaskReport(long takenAtEpochMs, int inFlight, int stuck, int matched, List<StuckGroup> groups,
                      List<TaskSnapshot> tasks, long refused, List<PointSummary> points) {
        this(takenAtEpochMs, inFlight, stuck, matched, groups, tasks, refused, points, null);
    }

    /** This report with {@code growth}. */
    public TaskReport withGrowth(TaskGrowth growth) {
        return new TaskReport(takenAtEpochMs, inFlight, stuck, matched, groups, tasks, refused, points, growth);
    }

    /** A report without probe point summaries. */
    public TaskReport(long takenAtEpochMs, int inFlight, int stuck, int matched, List<StuckGroup> groups,
                      List<TaskSnapshot> tasks, long refused) {
        this(takenAtEpochMs, inFlight, stuck, matched, groups, tasks, refused, List.of());
    }
}
