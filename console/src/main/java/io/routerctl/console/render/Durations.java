package io.routerctl.console.render;

import java.time.Duration;

/**
 * Durations as people read them on screen: {@code 850ms}, {@code 9.8s}, {@code 2m03s},
 * {@code 1h05m}. (What people type is read by {@link io.routerctl.probes.Durations}, the one
 * grammar of options and playbooks.)
 *
 * <p>Formatting truncates rather than rounds (9.87s prints as {@code 9.8s}), so a printed age is
 * never more than the real one, and the unit never rolls over ({@code 59.9s}, not {@code 60.0s}).
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. No method returns {@code null}.
 */
public final class Durations {

    private Durations() {
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
