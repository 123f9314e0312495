package io.routerctl.probes;

/**
 * A log-linear histogram of durations in nanoseconds with bounded memory (8 sub-buckets per power
 * of two: about 12% resolution, {@value #BUCKETS} counters), written by one thread.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>{@link #record(long)} is called by the owning thread only: a plain increment, no allocation,
 *       no lock, no CAS.</li>
 *   <li>Readers on other threads see counts that may be a little stale and may be mid-update
 *       (one bucket counted and the total not yet): percentiles are estimates, never torn values,
 *       since 64-bit stores are atomic on the 64-bit JVMs this runs on.</li>
 * </ul>
 */
final class LatencyHistogram {

    static final int SUB_BITS = 3;
    static final int SUB = 1 << SUB_BITS;
    static final int BUCKETS = (64 - SUB_BITS) * SUB + SUB;

    private final long[] counts = new long[BUCKETS];

    /** Records one duration; negative values count as 0. Owner thread only. */
    void record(long nanos) {
        counts[indexOf(nanos)]++;
    }

    static int indexOf(long v) {
        if (v < SUB) {
            return (int) Math.max(v, 0);
        }
        int exp = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) ((v >>> (exp - SUB_BITS)) & (SUB - 1));
        return (exp - SUB_BITS + 1) * SUB + sub;
    }

    /** The largest value that falls in bucket {@code index}. */
    static long upperBound(int index) {
        if (index < SUB) {
            return index;
        }
        int exp = index / SUB + SUB_BITS - 1;
        long sub = index % SUB;
        long low = (1L << exp) + (sub << (exp - SUB_BITS));
        return low + (1L << (exp - SUB_BITS)) - 1;
    }

    /** Adds this histogram's counts into {@code into} (any thread). */
    void addTo(long[] into) {
        for (int i = 0; i < BUCKETS; i++) {
            into[i] += counts[i];
        }
    }

    /** The total of {@code counts}. */
    static long total(long[] counts) {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** The value at {@code percentile} (0..100] of merged {@code counts}, or -1 if empty. */
    static long percentile(long[] counts, double percentile) {
        long total = total(counts);
        if (total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(total * percentile / 100.0);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank && counts[i] > 0) {
                return upperBound(i);
            }
        }
        return upperBound(counts.length - 1);
    }
}
