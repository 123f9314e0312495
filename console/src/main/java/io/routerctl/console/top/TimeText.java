package io.routerctl.console.top;

import io.routerctl.console.render.Durations;

/**
 * Short renderings for a screen where every column counts: durations as the whole console writes
 * them ({@code 850ms}, {@code 9.8s}, {@code 5s}, {@code 3m05s}), sub-millisecond step offsets, rates
 * and counts.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. No method returns {@code null}.
 */
final class TimeText {

    private TimeText() {
    }

    /** {@code ms} as the console writes durations everywhere ({@link Durations#format(long)}). */
    static String duration(long ms) {
        return Durations.format(ms);
    }

    /** A nullable duration: {@code -} when absent. */
    static String duration(Long ms) {
        return ms == null ? "-" : duration(ms.longValue());
    }

    /** A step offset from a task's start, sub-millisecond when small: {@code 0.012ms}, {@code 3.4ms}, {@code 2.1s}. */
    static String offset(double ms) {
        if (ms < 0) {
            ms = 0;
        }
        if (ms < 1) {
            return String.format(java.util.Locale.ROOT, "%.3fms", ms);
        }
        if (ms < 100) {
            return String.format(java.util.Locale.ROOT, "%.1fms", ms);
        }
        return duration(Math.round(ms));
    }

    /** A rate per second: {@code 0}, {@code 4.5}, {@code 312}, {@code 12.3k}. */
    static String rate(double perSecond) {
        if (perSecond < 0 || Double.isNaN(perSecond)) {
            return "-";
        }
        if (perSecond < 10) {
            return String.format(java.util.Locale.ROOT, "%.1f", perSecond);
        }
        if (perSecond < 10_000) {
            return Long.toString(Math.round(perSecond));
        }
        return String.format(java.util.Locale.ROOT, "%.1fk", perSecond / 1_000);
    }

    /** A count with thousands separators: {@code 200,000}. */
    static String count(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
