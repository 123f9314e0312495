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

    /** How many of the latest errors {@link #recent()} keeps. */
    static final int RECENT = 16;

    private static final AtomicLong COUNT = new AtomicLong();
    private static volatile String last;
    private static final java.util.ArrayDeque<String> LATEST = new java.util.ArrayDeque<>(RECENT);

    private InternalErrors() {
    }

    /** Counts {@code t}, caught on {@code where} (a thread name). */
    public static void record(String where, Throwable t) {
        COUNT.incrementAndGet();
        String line = where + ": " + t;
        last = line;
        synchronized (LATEST) {
            if (LATEST.size() == RECENT) {
                LATEST.removeFirst();
            }
            LATEST.addLast(line);
        }
    }

    /**
     * The latest errors (at most {@value #RECENT}), oldest first, each as {@code thread: exception}:
     * another thread's error right after does not hide one.
     */
    public static java.util.List<String> recent() {
        synchronized (LATEST) {
            return java.util.List.copyOf(LATEST);
        }
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
