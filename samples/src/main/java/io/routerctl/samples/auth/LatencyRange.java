package io.routerctl.samples.auth;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A latency drawn uniformly from {@code [min, max]} nanoseconds, parsed from {@code 0},
 * {@code 2ms}, {@code 500us}, {@code 1ms..3ms} or {@code 1..3ms} (units ns, us, ms, s; a bare
 * number is milliseconds; the lower bound takes the upper bound's unit if it has none).
 *
 * <h2>Thread safety</h2>
 * Immutable; {@link #next()} is safe from any thread.
 */
public record LatencyRange(long minNanos, long maxNanos) {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s)?");

    public LatencyRange {
        if (minNanos < 0 || maxNanos < minNanos) {
            throw new IllegalArgumentException("latency range must be 0 <= min <= max");
        }
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} with a readable message. */
    public static LatencyRange parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int dots = t.indexOf("..");
        if (dots < 0) {
            long n = nanos(t, null, text);
            return new LatencyRange(n, n);
        }
        String lo = t.substring(0, dots).trim();
        String hi = t.substring(dots + 2).trim();
        Matcher hm = DURATION.matcher(hi);
        String hiUnit = hm.matches() ? hm.group(2) : null;
        long max = nanos(hi, null, text);
        long min = nanos(lo, hiUnit, text);
        if (min > max) {
            throw new IllegalArgumentException("latency range '" + text + "' has min > max");
        }
        return new LatencyRange(min, max);
    }

    private static long nanos(String part, String defaultUnit, String whole) {
        Matcher m = DURATION.matcher(part);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad latency '" + whole + "' (e.g. 0, 2ms, 500us, 1ms..3ms)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) != null ? m.group(2) : defaultUnit != null ? defaultUnit : "ms";
        double factor = switch (unit) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            default -> 1e9;
        };
        return Math.round(value * factor);
    }

    /** A latency from the range. */
    public long next() {
        return minNanos == maxNanos ? minNanos : ThreadLocalRandom.current().nextLong(minNanos, maxNanos + 1);
    }

    @Override
    public String toString() {
        return minNanos == maxNanos ? format(minNanos) : format(minNanos) + ".." + format(maxNanos);
    }

    private static String format(long nanos) {
        if (nanos == 0) {
            return "0";
        }
        if (nanos % 1_000_000 == 0) {
            return nanos / 1_000_000 + "ms";
        }
        if (nanos % 1_000 == 0) {
            return nanos / 1_000 + "us";
        }
        return nanos + "ns";
    }
}
