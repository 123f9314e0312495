package io.routerctl.probes.attach;

import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.internal.FullGc;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Runs the {@code gc} op's full collections for every client of a target: at most one at a time
 * (a request while one runs waits for it and gets its result), and at most one per
 * {@link #MIN_INTERVAL} (a request sooner gets the last result, with its age). Sixteen clients
 * looping {@code gc} thus cost the service one collection per interval, not sixteen back to back.
 *
 * <h2>Thread safety</h2>
 * Any attach thread; the state is guarded by {@code this}, the collection runs outside the lock on
 * the thread of the request that started it.
 */
final class GcCoordinator {

    /** The least time between the end of one collection and the start of the next. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

    private final TaskRegistry registry;
    private final Duration examineTimeout;
    private final LongSupplier nanoClock;
    private final Runnable fullGc;

    private CompletableFuture<GcResult> running;
    private GcResult last;
    private long lastEndNanos;
    private int collectionsRun;

    GcCoordinator(TaskRegistry registry, Duration examineTimeout) {
        this(registry, examineTimeout, System::nanoTime, FullGc::run);
    }

    GcCoordinator(TaskRegistry registry, Duration examineTimeout, LongSupplier nanoClock, Runnable fullGc) {
        this.registry = registry;
        this.examineTimeout = examineTimeout;
        this.nanoClock = nanoClock;
        this.fullGc = fullGc;
    }

    /** Collections this coordinator ran (for tests and the soak report). */
    synchronized int collectionsRun() {
        return collectionsRun;
    }

    /**
     * A collection's result: a fresh one, the one running now, or the last one when it ended less
     * than {@link #MIN_INTERVAL} ago.
     */
    GcResult collect() throws InterruptedException {
        CompletableFuture<GcResult> mine;
        boolean ours = false;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            if (running != null) {
                mine = running;
            } else if (last != null && now - lastEndNanos < MIN_INTERVAL.toNanos()) {
                return last.aged(Math.max(1, (now - lastEndNanos) / 1_000_000L));
            } else {
                running = new CompletableFuture<>();
                mine = running;
                collectionsRun++;
                ours = true;
            }
        }
        if (ours) {
            return runOne(mine);
        }
        try {
            // Started before us, ends after: as good as our own.
            return mine.get(examineTimeout.toMillis() * 4 + 30_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the collection another client started failed: " + e.getMessage(), e);
        }
    }

    private GcResult runOne(CompletableFuture<GcResult> result) {
        GcResult r = null;
        try {
            long start = nanoClock.getAsLong();
            long before = FullGc.collections();
            long found = registry.collectLostWakeups(examineTimeout, fullGc);
            long after = FullGc.collections();
            Boolean collected = before < 0 || after < 0 ? null : after > before;
            r = new GcResult(found, registry.lostWakeupsFound(), (nanoClock.getAsLong() - start) / 1_000_000L,
                    collected, 0);
            result.complete(r);
            return r;
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (this) {
                running = null;
                if (r != null) {
                    last = r;
                    lastEndNanos = nanoClock.getAsLong();
                }
            }
        }
    }
}
