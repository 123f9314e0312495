package io.routerctl.probes.snapshot;

import java.util.List;
import java.util.Map;

/**
 * How many tasks are in flight per kind, and how many are stuck per kind and waited-on point, at
 * one moment: what a metrics registry or a periodic JFR event reports, counted by the same stuck
 * rules as {@code dump-stuck} without copying a single task out.
 *
 * @param takenAtEpochMs when it was counted
 * @param inFlight       in-flight tasks per kind (every kind present, zero included)
 * @param stuck          one entry per (kind, waited-on point) with stuck tasks, largest first
 * @param orphans        threads that outlived the request they served and still live (stuck or not)
 */
public record TaskCensus(long takenAtEpochMs, Map<TaskKind, Integer> inFlight, List<Point> stuck, int orphans) {

    /** A census without orphans. */
    public TaskCensus(long takenAtEpochMs, Map<TaskKind, Integer> inFlight, List<Point> stuck) {
        this(takenAtEpochMs, inFlight, stuck, 0);
    }

    /** The point name of a stuck task that waits on nothing known. */
    public static final String NOT_WAITING = "none";

    public TaskCensus {
        inFlight = Map.copyOf(inFlight);
        stuck = List.copyOf(stuck);
    }

    /** Stuck tasks in all entries. */
    public int stuckTotal() {
        int n = 0;
        for (Point p : stuck) {
            n += p.count();
        }
        return n;
    }

    /**
     * The stuck tasks of one kind waiting on one point.
     *
     * @param kind         the tasks' kind
     * @param point        the probe point they wait on, or {@value #NOT_WAITING}
     * @param location     where that point is declared or the future was created, or {@code null}
     * @param count        how many
     * @param oldestMs     the longest time one of them went without progress
     * @param oldestId     that task's id
     * @param oldestRemote that task's remote address as {@code ss -tn} writes it, or {@code null}
     * @param lostWakeups  how many of them wait on a proven lost wake-up
     */
    public record Point(TaskKind kind, String point, String location, int count, long oldestMs, long oldestId,
                        String oldestRemote, int lostWakeups) {
    }
}
