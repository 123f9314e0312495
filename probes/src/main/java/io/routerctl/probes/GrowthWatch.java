package io.routerctl.probes;

import io.routerctl.probes.snapshot.TaskGrowth;

import java.lang.ref.WeakReference;
import java.time.Duration;

/**
 * Notices when a registry's live tasks only grow: samples the count every {@link #PERIOD} and
 * reports a {@link TaskGrowth} when, over the last {@link #WINDOW_SAMPLES} samples (five minutes),
 * no sample was below the one before and the count rose by at least {@link #MIN_RISE} and at least
 * doubled. A leak of tasks that never finish looks like that long before the per-loop cap refuses
 * anything; a busy service's count goes up and down.
 *
 * <h2>What it costs</h2>
 * The probes' {@linkplain Housekeeping housekeeping thread}, waking every ten seconds to read
 * each shard's live counter (an opaque read); a ring of 31 longs per registry. Nothing on the
 * event loops.
 *
 * <h2>Thread safety</h2>
 * {@link #sample} runs on the sampler thread, {@link #growth} on attach threads; both lock the ring.
 */
final class GrowthWatch {

    static final Duration PERIOD = Duration.ofSeconds(10);
    static final int WINDOW_SAMPLES = 31;
    static final long MIN_RISE = 1_000;

    private final long[] ring;
    private final long periodMs;
    private final long minRise;
    private int count;
    private int next;

    GrowthWatch(int windowSamples, Duration period, long minRise) {
        this.ring = new long[windowSamples];
        this.periodMs = period.toMillis();
        this.minRise = minRise;
    }

    /**
     * Samples {@code registry} every {@link #PERIOD} on the housekeeping thread, for as long as it
     * is reachable or until the returned job is cancelled (when the registry closes).
     */
    static Housekeeping.Job watch(TaskRegistry registry, GrowthWatch watch) {
        WeakReference<TaskRegistry> ref = new WeakReference<>(registry);
        Housekeeping.Job[] self = new Housekeeping.Job[1];
        self[0] = Housekeeping.every(PERIOD, () -> {
            TaskRegistry r = ref.get();
            if (r == null) {
                self[0].cancel();
                return;
            }
            watch.sample(r.liveTasks());
        });
        return self[0];
    }

    synchronized void sample(long live) {
        ring[next] = live;
        next = (next + 1) % ring.length;
        count = Math.min(count + 1, ring.length);
    }

    /** The growth over the full window, or {@code null} if the count did not only grow (or the window is not full). */
    synchronized TaskGrowth growth() {
        if (count < ring.length) {
            return null;
        }
        long previous = ring[next]; // the oldest
        long first = previous;
        for (int i = 1; i < ring.length; i++) {
            long s = ring[(next + i) % ring.length];
            if (s < previous) {
                return null;
            }
            previous = s;
        }
        long rise = previous - first;
        if (rise < minRise || previous < 2 * first) {
            return null;
        }
        return new TaskGrowth(first, previous, (ring.length - 1) * periodMs);
    }
}
