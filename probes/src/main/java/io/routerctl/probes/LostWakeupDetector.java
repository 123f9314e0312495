package io.routerctl.probes;

import io.routerctl.probes.internal.FullGc;
import io.routerctl.probes.internal.InternalErrors;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Proves lost wake-ups: takes the watches of collected completers off a reference queue, on its
 * own daemon thread ({@code routerctl-lost-wakeup}), and marks those whose future is still
 * incomplete. Started with the first tracked wait of its registry.
 *
 * <h2>Thread safety</h2>
 * All methods are safe from any thread; the detector thread is the only one that marks watches.
 */
final class LostWakeupDetector extends ReferenceQueue<Object> {

    private final TaskRegistry registry;
    private final AtomicLong processed = new AtomicLong();
    private final AtomicLong found = new AtomicLong();
    private volatile Thread thread;
    private volatile boolean stopped;

    LostWakeupDetector(TaskRegistry registry) {
        this.registry = registry;
    }

    /** Starts the detector thread if it is not running. Idempotent, cheap after the first call. */
    void ensureStarted() {
        if (thread != null) {
            return;
        }
        synchronized (this) {
            if (thread == null && !stopped) {
                Thread t = new Thread(this::run, "routerctl-lost-wakeup");
                t.setDaemon(true);
                t.start();
                thread = t;
            }
        }
    }

    /**
     * Ends the detector thread (interrupting it) and waits at most {@code timeout} for it; a watch
     * collected later is never examined. Any thread.
     */
    void stop(Duration timeout) {
        Thread t;
        synchronized (this) {
            stopped = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (!stopped) {
            try {
                Reference<?> ref = remove();
                if (ref instanceof WaitWatch watch) {
                    examine(watch);
                }
                processed.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A failing user continuation (run by completeExceptionally) must not stop detection.
                processed.incrementAndGet();
            } catch (Error e) {
                // Out of memory, a stack overflow in a user continuation: count it, keep detecting.
                processed.incrementAndGet();
                InternalErrors.record(Thread.currentThread().getName(), e);
            }
        }
    }

    private void examine(WaitWatch watch) {
        if (!watch.pending()) {
            return;
        }
        watch.lost = true;
        found.incrementAndGet();
        registry.stats().lostWakeup(watch.point);
        if (io.routerctl.probes.jfr.FlightEvents.lostWakeupWanted()) {
            io.routerctl.probes.jfr.FlightEvents.lostWakeup(watch.point.name(), watch.point.location(),
                    QueryEngine.waitingOn(registry, registry.shards(), watch));
        }
        if (registry.lostWakeupPolicy(watch.point) == LostWakeupPolicy.FAIL) {
            watch.failWaiter(new LostWakeupException(watch.point));
        }
    }

    /** Lost wake-ups proven since start. */
    long found() {
        return found.get();
    }

    /** Watches taken off the queue since start (each one a completer the collector found gone). */
    long examined() {
        return processed.get();
    }

    /**
     * Runs a full GC ({@code fullGc}: normally {@link FullGc#run}, which works under
     * {@code -XX:+DisableExplicitGC} too), then waits until the collector's discoveries have been
     * examined: until no new
     * watch was processed for a quiet period, or {@code timeout}. Intrusive: a full GC pauses the
     * whole process. Returns the number of lost wake-ups proven meanwhile.
     */
    long collect(Duration timeout, Runnable fullGc) {
        ensureStarted();
        long before = found.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        fullGc.run();
        long quietNanos = Duration.ofMillis(200).toNanos();
        long lastProcessed = processed.get();
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            long p = processed.get();
            if (p != lastProcessed) {
                lastProcessed = p;
                lastChange = now;
            } else if (now - lastChange >= quietNanos) {
                break;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return found.get() - before;
    }
}
