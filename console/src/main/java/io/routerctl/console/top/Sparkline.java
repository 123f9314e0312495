package io.routerctl.console.top;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * One-row pictures of numbers: a sparkline of block characters ({@code ▁▂▃▄▅▆▇█}), where a blank is
 * "no sample" and {@code .} is zero, so that "nothing stuck" and "no data" look different. Falls back
 * to ASCII ({@code _-=+*#%@}) when the terminal's charset is not UTF-8.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread.
 */
final class Sparkline {

    /** No sample in this column. */
    static final long NONE = -1;

    private static final char[] BLOCKS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};
    private static final char[] ASCII = {'_', '-', '=', '+', '*', '#', '%', '@'};
    static final boolean UNICODE = Charset.defaultCharset().equals(StandardCharsets.UTF_8);

    private Sparkline() {
    }

    /** One character per value, scaled so that {@code max} is a full block; {@link #NONE} is blank. */
    static String of(long[] values, long max) {
        return of(values, max, UNICODE);
    }

    static String of(long[] values, long max, boolean unicode) {
        char[] levels = unicode ? BLOCKS : ASCII;
        StringBuilder s = new StringBuilder(values.length);
        for (long v : values) {
            s.append(glyph(v, max, levels));
        }
        return s.toString();
    }

    private static char glyph(long v, long max, char[] levels) {
        if (v < 0) {
            return ' ';
        }
        if (v == 0 || max <= 0) {
            return '.';
        }
        int level = (int) Math.ceil((double) v * levels.length / max) - 1;
        return levels[Math.max(0, Math.min(levels.length - 1, level))];
    }

    /** The marker under a bar: {@code ▲}, or {@code ^} in ASCII. */
    static char marker() {
        return UNICODE ? '▲' : '^';
    }
}
