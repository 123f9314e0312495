package io.routerctl.probes.snapshot;

/**
 * Stuck tasks that share kind, last step and what they wait on: one line of a diagnosis.
 *
 * @param kind      what the tasks stand for
 * @param lastStep  last step completed, or {@code null}
 * @param waitingOn probe point waited on, or {@code null}
 * @param waitingAt code location of that probe point, or {@code null}
 * @param count     how many stuck tasks share these
 * @param oldestMs  the longest time without progress among them
 * @param lostWakeups how many of them carry a {@code lost-wakeup} warning
 * @param waitP99Ms the p99 of completed waits on {@code waitingOn} in this target, or {@code null}
 *                  if it has too little history
 * @param orphans   how many of them carry an {@code orphaned} warning (threads that outlived their request)
 */
public record StuckGroup(TaskKind kind, String lastStep, String waitingOn, String waitingAt, int count, long oldestMs,
                         int lostWakeups, Double waitP99Ms, int orphans) {

    /** A group without orphans. */
    public StuckGroup(TaskKind kind, String lastStep, String waitingOn, String waitingAt, int count, long oldestMs,
                      int lostWakeups, Double waitP99Ms) {
        this(kind, lastStep, waitingOn, waitingAt, count, oldestMs, lostWakeups, waitP99Ms, 0);
    }

    /** A group without lost wake-ups and without wait history. */
    public StuckGroup(TaskKind kind, String lastStep, String waitingOn, String waitingAt, int count, long oldestMs) {
        this(kind, lastStep, waitingOn, waitingAt, count, oldestMs, 0, null);
    }
}
