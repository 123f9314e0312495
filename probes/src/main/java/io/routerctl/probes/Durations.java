package io.routerctl.probes;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar of durations in routerctl: every command-line option, every playbook statement,
 * the sample's options and the agent's arguments read durations through {@link #parse}.
 *
 * <h2>Grammar</h2>
 * One or more number-unit pairs, without spaces between them: {@code 500ms}, {@code 5s},
 * {@code 1.5s}, {@code 2m}, {@code 1m30s}, {@code 2h}, {@code 1d12h}. Units: {@code ms s m h d}. A
 * number may have a fraction ({@code 1.5s}); the result is kept to the millisecond. {@code 0}
 * alone is zero. A number without a unit is refused, saying so: {@code 3} could mean three
 * seconds or three milliseconds, and a threshold off by a thousand is worse than an error.
 *
 * <pre>{@code
 * Durations.parse("1m30s");                   // PT1M30S
 * Durations.formatExact(Duration.ofMillis(90_000));   // "1m30s", which parses back to the same
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. Never returns {@code null}.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,9})?)(ms|s|m|h|d)");
    /** What every error message offers as examples. */
    public static final String EXPECTED = "expected a duration like 500ms, 5s, 1.5s, 1m or 1m30s";
    /** The longest duration accepted: ten years, far past any timeout and far from overflow. */
    static final long MAX_MILLIS = 10L * 366 * 86_400_000L;

    private Durations() {
    }

    /**
     * Parses {@code text} (surrounding white space ignored).
     *
     * @throws IllegalArgumentException with a one-line message fit for a user
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.equals("0")) {
            return Duration.ZERO;
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException(EXPECTED + ", got an empty value");
        }
        if (t.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) {
            throw new IllegalArgumentException(EXPECTED + ", got '" + clip(t) + "' (missing unit: did you mean "
                    + clip(t) + "s?)");
        }
        Matcher m = PART.matcher(t);
        int at = 0;
        BigDecimal millis = BigDecimal.ZERO;
        while (at < t.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException(EXPECTED + ", got '" + clip(t) + "'");
            }
            millis = millis.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitMillis(m.group(2)))));
            at = m.end();
        }
        if (millis.compareTo(BigDecimal.valueOf(MAX_MILLIS)) > 0) {
            throw new IllegalArgumentException("duration too long: '" + clip(t) + "' (at most 10 years)");
        }
        return Duration.ofMillis(millis.longValue());
    }

    private static long unitMillis(String unit) {
        return switch (unit) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
        };
    }

    /**
     * The shortest text {@link #parse} reads back as {@code d} (to the millisecond): {@code 0},
     * {@code 250ms}, {@code 1.5s}, {@code 1m30s}, {@code 2h}, {@code 1d2h3m4.005s}.
     */
    public static String formatExact(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms < 1_000) {
            return ms + "ms";
        }
        StringBuilder sb = new StringBuilder();
        long days = ms / 86_400_000L;
        ms %= 86_400_000L;
        long hours = ms / 3_600_000L;
        ms %= 3_600_000L;
        long minutes = ms / 60_000L;
        ms %= 60_000L;
        if (days > 0) {
            sb.append(days).append('d');
        }
        if (hours > 0) {
            sb.append(hours).append('h');
        }
        if (minutes > 0) {
            sb.append(minutes).append('m');
        }
        if (ms > 0) {
            long seconds = ms / 1_000;
            long fraction = ms % 1_000;
            sb.append(seconds);
            if (fraction > 0) {
                String f = String.format("%03d", fraction);
                while (f.endsWith("0")) {
                    f = f.substring(0, f.length() - 1);
                }
                sb.append('.').append(f);
            }
            sb.append('s');
        }
        return sb.toString();
    }

    private static String clip(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 37) + "...";
    }
}
