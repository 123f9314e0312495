package io.routerctl.probes;

import io.routerctl.probes.internal.InternalErrors;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The probes' housekeeping thread, {@code routerctl-housekeeping}: one daemon thread for the
 * periodic jobs of every registry (the growth sampler, the wait for a JFR recorder), started with
 * the first job and ended with the last one cancelled, so that a registry closed by a detaching
 * agent leaves no thread behind.
 *
 * <h2>Thread safety</h2>
 * Safe from any thread; scheduling and cancelling are serialized on the class.
 */
final class Housekeeping {

    private static ScheduledThreadPoolExecutor executor;
    private static int jobs;

    private Housekeeping() {
    }

    /** A scheduled job; {@link #cancel()} it when its owner closes. */
    static final class Job {
        private ScheduledFuture<?> future;
        private boolean cancelled;

        /** Stops the job; the last job cancelled ends the thread. Idempotent. */
        void cancel() {
            synchronized (Housekeeping.class) {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                if (future != null) {
                    future.cancel(false);
                }
                if (--jobs == 0 && executor != null) {
                    executor.shutdownNow();
                    executor = null;
                }
            }
        }
    }

    /** Runs {@code step} every {@code period} after a first {@code period}, until cancelled. */
    static Job every(Duration period, Runnable step) {
        return schedule(period.toMillis(), period.toMillis(), new Job(), job -> step.run());
    }

    /** Runs {@code step} now and every {@code period} until it returns true (or the job is cancelled). */
    static Job until(Duration period, BooleanSupplier step) {
        return schedule(0, period.toMillis(), new Job(), job -> {
            if (step.getAsBoolean()) {
                job.cancel();
            }
        });
    }

    private interface Step {
        void run(Job job);
    }

    private static Job schedule(long initialMs, long periodMs, Job job, Step step) {
        synchronized (Housekeeping.class) {
            if (executor == null) {
                executor = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, "routerctl-housekeeping");
                    t.setDaemon(true);
                    return t;
                });
                executor.setRemoveOnCancelPolicy(true);
            }
            jobs++;
            job.future = executor.scheduleWithFixedDelay(() -> {
                try {
                    step.run(job);
                } catch (RuntimeException | Error e) {
                    // A periodic task that throws is never run again: count it, keep the job.
                    InternalErrors.record(Thread.currentThread().getName(), e);
                }
            }, initialMs, periodMs, TimeUnit.MILLISECONDS);
            return job;
        }
    }
}
