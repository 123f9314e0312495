package io.routerctl.console.top;

/**
 * Short, fixed-style renderings of durations and counts for a screen where every column counts:
 * {@code 850ms}, {@code 12.4s}, {@code 3m05s}, {@code 2h03m}, {@code 4d02h}.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. No method returns {@code null}.
 */
final class TimeText {

    private TimeText() {
    }

    /** {@code ms} as a short duration; negative values read as 0. */
    static String duration(long ms) {
        if (ms < 0) {
            ms = 0;
        }
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            long tenths = ms / 100;
            return (tenths / 10) + "." + (tenths % 10) + "s";
        }
        long s = ms / 1_000;
        if (s < 3_600) {
            return (s / 60) + "m" + two(s % 60) + "s";
        }
        long m = s / 60;
        if (m < 24 * 60) {
            return (m / 60) + "h" + two(m % 60) + "m";
        }
        long h = m / 60;
        return (h / 24) + "d" + two(h % 24) + "h";
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

    private static String two(long v) {
        return v < 10 ? "0" + v : Long.toString(v);
    }
}
