package io.routerctl.console.render;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type and read them: {@code 500ms}, {@code 5s}, {@code 1.5s}, {@code 1m},
 * {@code 1m30s} in; {@code 850ms}, {@code 9.8s}, {@code 2m03s}, {@code 1h05m} out.
 *
 * <p>Formatting truncates rather than rounds (9.87s prints as {@code 9.8s}), so a printed age is
 * never more than the real one, and the unit never rolls over ({@code 59.9s}, not {@code 60.0s}).
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. No method returns {@code null}.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final String EXPECTED = "expected a duration like 500ms, 5s, 1.5s, 1m or 1m30s";

    private Durations() {
    }

    /**
     * Parses {@code text}: one or more number-unit pairs, units {@code ms s m h d}; {@code 0} alone
     * is allowed. Sub-millisecond fractions are dropped.
     *
     * @throws IllegalArgumentException with a message fit for a user, if {@code text} is not a duration
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException(EXPECTED + ", got an empty value");
        }
        if (t.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            throw new IllegalArgumentException(EXPECTED + ", got '" + text + "' (missing unit)");
        }
        Matcher m = PART.matcher(t);
        int at = 0;
        BigDecimal millis = BigDecimal.ZERO;
        while (at < t.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException(EXPECTED + ", got '" + text + "'");
            }
            BigDecimal value = new BigDecimal(m.group(1));
            millis = millis.add(value.multiply(BigDecimal.valueOf(unitMillis(m.group(2)))));
            at = m.end();
        }
        try {
            return Duration.ofMillis(millis.longValueExact());
        } catch (ArithmeticException e) {
            // A fraction of a millisecond, or too large for a long.
            if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new IllegalArgumentException("duration too long: '" + text + "'");
            }
            return Duration.ofMillis(millis.longValue());
        }
    }

    private static long unitMillis(String unit) {
        switch (unit) {
            case "ms": return 1;
            case "s": return 1_000;
            case "m": return 60_000;
            case "h": return 3_600_000;
            case "d": return 86_400_000;
            default: throw new IllegalArgumentException("unknown unit " + unit);
        }
    }

    /** {@link #format(long)} of the duration's milliseconds. */
    public static String format(Duration duration) {
        return format(duration.toMillis());
    }

    /**
     * Compact text for {@code millis}: under a second {@code 850ms}; under a minute {@code 9.8s}
     * ({@code 5s} when whole); under an hour {@code 2m03s} ({@code 2m} when whole); under a day
     * {@code 1h05m}; then {@code 3d04h}. Negative values print as {@code 0ms}.
     */
    public static String format(long millis) {
        long ms = Math.max(0, millis);
        if (ms < 1_000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            long tenths = ms / 100;
            long whole = tenths / 10;
            long fraction = tenths % 10;
            return fraction == 0 ? whole + "s" : whole + "." + fraction + "s";
        }
        if (ms < 3_600_000) {
            long minutes = ms / 60_000;
            long seconds = (ms % 60_000) / 1_000;
            return seconds == 0 ? minutes + "m" : minutes + "m" + twoDigits(seconds) + "s";
        }
        if (ms < 86_400_000) {
            long hours = ms / 3_600_000;
            long minutes = (ms % 3_600_000) / 60_000;
            return minutes == 0 ? hours + "h" : hours + "h" + twoDigits(minutes) + "m";
        }
        long days = ms / 86_400_000;
        long hours = (ms % 86_400_000) / 3_600_000;
        return hours == 0 ? days + "d" : days + "d" + twoDigits(hours) + "h";
    }

    private static String twoDigits(long n) {
        return n < 10 ? "0" + n : Long.toString(n);
    }
}
