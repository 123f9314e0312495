package io.routerctl.probes.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Errors routerctl's own threads caught and survived (the attach acceptor, the lost-wake-up
 * detector, the loop watchdog): each keeps serving after an {@code Error} such as an
 * {@code OutOfMemoryError}, and counts it here. A target's hello reports the count, so a problem in
 * the tool is seen rather than silently ending a detector.
 *
 * <h2>Thread safety</h2>
 * Any thread; one process-wide count.
 */
public final class InternalErrors {

    private static final AtomicLong COUNT = new AtomicLong();
    private static volatile String last;

    private InternalErrors() {
    }

    /** Counts {@code t}, caught on {@code where} (a thread name). */
    public static void record(String where, Throwable t) {
        COUNT.incrementAndGet();
        last = where + ": " + t;
    }

    /** Errors caught since start. */
    public static long count() {
        return COUNT.get();
    }

    /** The last one, as {@code thread: exception}, or {@code null}. */
    public static String last() {
        return last;
    }
}
