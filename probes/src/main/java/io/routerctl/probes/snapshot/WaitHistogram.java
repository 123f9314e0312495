package io.routerctl.probes.snapshot;

import java.util.List;

/**
 * How long the completed waits on one probe point took, in coarse buckets: what "usual" means for
 * the point a task waits on, so that a wait can be seen against it ({@code top}'s task detail).
 *
 * @param point  the probe point
 * @param waits  completed waits counted
 * @param upperMs each bucket's upper bound in ms (a 1-2-5 series; the last is unbounded:
 *                {@code Double.MAX_VALUE} is never sent, the last bound is the start of the open bucket)
 * @param counts waits per bucket, one more than {@code upperMs}: the last counts the waits longer
 *               than every bound
 * @param p50Ms  the median, or {@code null} without history
 * @param p99Ms  the 99th percentile, or {@code null} without history
 */
public record WaitHistogram(String point, long waits, List<Double> upperMs, List<Long> counts, Double p50Ms,
                            Double p99Ms) {

    /** The bucket bounds, in ms: 0.1 ms to 500 s in a 1-2-5 series. */
    public static final List<Double> BOUNDS_MS = List.of(0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0,
            200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0, 20_000.0, 50_000.0, 100_000.0, 200_000.0, 500_000.0);

    public WaitHistogram {
        upperMs = upperMs == null ? List.of() : List.copyOf(upperMs);
        counts = counts == null ? List.of() : List.copyOf(counts);
    }

    /** The bucket a wait of {@code ms} falls in (an index into {@link #counts}). */
    public int bucketOf(double ms) {
        for (int i = 0; i < upperMs.size(); i++) {
            if (ms <= upperMs.get(i)) {
                return i;
            }
        }
        return upperMs.size();
    }
}
