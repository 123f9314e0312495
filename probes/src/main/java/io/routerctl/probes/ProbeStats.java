package io.routerctl.probes;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-probe-point counters that producers and detectors bump: lost wake-ups, double and late
 * completions. Never touched by an event loop's hot path (completers are completed by producers).
 *
 * <h2>Thread safety</h2>
 * Safe from any thread.
 */
final class ProbeStats {

    static final class Counters {
        final LongAdder lostWakeups = new LongAdder();
        final LongAdder doubleCompletions = new LongAdder();
        final LongAdder lateCompletions = new LongAdder();
    }

    private final AtomicReferenceArray<Counters> byPoint = new AtomicReferenceArray<>(ProbePoint.MAX_POINTS + 1);

    Counters of(ProbePoint point) {
        Counters c = byPoint.get(point.id());
        if (c == null) {
            byPoint.compareAndSet(point.id(), null, new Counters());
            c = byPoint.get(point.id());
        }
        return c;
    }

    /** Counters of the point with this id, or null if none was ever bumped. */
    Counters peek(int pointId) {
        return pointId <= 0 || pointId > ProbePoint.MAX_POINTS ? null : byPoint.get(pointId);
    }

    void lostWakeup(ProbePoint point) {
        of(point).lostWakeups.increment();
    }

    void doubleCompletion(ProbePoint point) {
        of(point).doubleCompletions.increment();
    }

    void lateCompletion(ProbePoint point) {
        of(point).lateCompletions.increment();
    }
}
