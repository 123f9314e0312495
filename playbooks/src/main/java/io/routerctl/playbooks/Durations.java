package io.routerctl.playbooks;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as playbooks and routerctl options write them: a number and a unit, {@code 500ms},
 * {@code 5s}, {@code 1.5s}, {@code 2m}, {@code 1h}.
 *
 * <h2>Thread safety</h2>
 * Stateless.
 */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(?:\\.(\\d{1,3}))?(ms|s|m|h)");

    private Durations() {
    }

    /** The duration {@code text} denotes, or {@code null} if it is not one. */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long whole = Long.parseLong(m.group(1));
        String frac = m.group(2) == null ? "" : m.group(2);
        long unitMs = switch (m.group(3)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        long fracMs = frac.isEmpty() ? 0 : Long.parseLong(frac) * unitMs / (long) Math.pow(10, frac.length());
        if (unitMs == 1 && !frac.isEmpty()) {
            return null;
        }
        return Duration.ofMillis(whole * unitMs + fracMs);
    }

    /** The shortest exact form: {@code 5s}, {@code 1500ms}, {@code 2m}. Never {@code null}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms != 0 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1_000 == 0) {
            return ms / 1_000 + "s";
        }
        return ms + "ms";
    }
}
