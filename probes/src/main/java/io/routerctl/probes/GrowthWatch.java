package io.routerctl.probes;

import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.snapshot.TaskGrowth;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Notices when a registry's live tasks only grow: samples the count every {@link #PERIOD} and
 * reports a {@link TaskGrowth} when, over the last {@link #WINDOW_SAMPLES} samples (five minutes),
 * no sample was below the one before and the count rose by at least {@link #MIN_RISE} and at least
 * doubled. A leak of tasks that never finish looks like that long before the per-loop cap refuses
 * anything; a busy service's count goes up and down.
 *
 * <h2>What it costs</h2>
 * One daemon thread for all registries ({@code routerctl-growth}), waking every ten seconds to read
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

    private static final ScheduledExecutorService SAMPLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "routerctl-growth");
        t.setDaemon(true);
        return t;
    });

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

    /** Samples {@code registry} every {@link #PERIOD} for as long as it is reachable. */
    static void watch(TaskRegistry registry, GrowthWatch watch) {
        WeakReference<TaskRegistry> ref = new WeakReference<>(registry);
        AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
        self.set(SAMPLER.scheduleAtFixedRate(() -> {
            TaskRegistry r = ref.get();
            if (r == null) {
                ScheduledFuture<?> f = self.get();
                if (f != null) {
                    f.cancel(false);
                }
                return;
            }
            try {
                watch.sample(r.liveTasks());
            } catch (RuntimeException | Error e) {
                // A task that throws is never run again: count it, keep sampling.
                InternalErrors.record(Thread.currentThread().getName(), e);
            }
        }, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * Runs {@code step} on the probes' housekeeping thread now and every {@code period} until it
     * returns true (or throws: counted, and tried again next period).
     */
    static void until(Duration period, java.util.function.BooleanSupplier step) {
        AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        self.set(SAMPLER.scheduleWithFixedDelay(() -> {
            try {
                if (!done.get() && step.getAsBoolean()) {
                    done.set(true);
                }
            } catch (RuntimeException | Error e) {
                InternalErrors.record(Thread.currentThread().getName(), e);
            }
            ScheduledFuture<?> f = self.get();
            if (done.get() && f != null) {
                f.cancel(false);
            }
        }, 0, period.toMillis(), TimeUnit.MILLISECONDS));
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
