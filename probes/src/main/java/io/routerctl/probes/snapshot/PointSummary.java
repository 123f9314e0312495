package io.routerctl.probes.snapshot;

/**
 * What a target knows of one await probe point.
 *
 * @param name              the point's name, e.g. {@code auth}
 * @param location          where it is declared, e.g. {@code LegacyAuthAdapter.java:41}
 * @param waits             completed waits recorded
 * @param p50Ms             median completed wait, or {@code null} without history
 * @param p99Ms             99th percentile of completed waits, or {@code null} without history
 * @param stuckAfterMs      how long a wait must last for the adaptive rule to call it stuck, or
 *                          {@code null} while the point has too little history
 * @param lostWakeups       lost wake-ups proven at this point since start
 * @param doubleCompletions completions after the future was already completed by the same completer
 * @param lateCompletions   completions after the waiter had given up (cancelled, failed otherwise)
 */
public record PointSummary(String name, String location, long waits, Double p50Ms, Double p99Ms, Long stuckAfterMs,
                           long lostWakeups, long doubleCompletions, long lateCompletions) {
}
