package io.routerctl.probes.attach;

/**
 * What the {@code gc} op reports.
 *
 * @param lostWakeupsFound lost wake-ups proven by this collection
 * @param lostWakeupsTotal lost wake-ups proven since the target started
 * @param tookMs           how long the collection and the examination took
 */
public record GcResult(long lostWakeupsFound, long lostWakeupsTotal, long tookMs) {
}
