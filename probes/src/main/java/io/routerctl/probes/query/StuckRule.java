package io.routerctl.probes.query;

import io.routerctl.probes.snapshot.TaskState;

/**
 * The one definition of "stuck", for live registries and saved snapshots alike.
 *
 * <ol>
 *   <li>Only tasks in flight (running or waiting) can be stuck. Idle tasks, such as keep-alive
 *       connections between requests, never are.</li>
 *   <li>{@value #OLDER_THAN}: no progress for at least the threshold
 *       ({@code idle_ms >= older_than_ms}).</li>
 *   <li>{@value #ADAPTIVE}, only when asked: waiting on a probe point for at least that point's
 *       {@code stuck_after_ms} (the larger of a floor and a multiple of its p99; see
 *       docs/detectors.md), once the point has enough history.</li>
 * </ol>
 * The first rule that holds names the task's {@code stuck_rule}. All comparisons are in whole
 * milliseconds (elapsed times truncated, thresholds rounded up), which is what a snapshot keeps.
 *
 * <h2>Thread safety</h2>
 * Stateless.
 */
public final class StuckRule {

    /** The threshold rule's name on the wire. */
    public static final String OLDER_THAN = "older-than";
    /** The adaptive rule's name on the wire. */
    public static final String ADAPTIVE = "adaptive";

    private StuckRule() {
    }

    /** The rule that makes {@code task} stuck, or {@code null} if it is not stuck. */
    public static String of(TaskRow task, long olderThanMs, boolean adaptive) {
        TaskState state = task.state();
        if (!state.isInFlight()) {
            return null;
        }
        if (task.idleMs() >= olderThanMs) {
            return OLDER_THAN;
        }
        if (adaptive && state == TaskState.WAITING) {
            long after = task.adaptiveStuckAfterMs();
            long waited = task.waitingMs();
            if (after >= 0 && waited >= 0 && waited >= after) {
                return ADAPTIVE;
            }
        }
        return null;
    }

    /** A threshold in nanoseconds as whole milliseconds, rounded up, as the adaptive rule compares it. */
    public static long thresholdMs(long nanos) {
        return nanos < 0 ? -1 : (nanos + 999_999L) / 1_000_000L;
    }
}
