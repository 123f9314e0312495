package io.routerctl.console.render;

import io.routerctl.probes.wire.json.Json;
import io.routerctl.probes.wire.json.JsonException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text from a target, made safe to print on a terminal: every control character is shown as a
 * visible escape instead of reaching the terminal raw. A target (or whoever answers on its socket)
 * chooses its name, its probe points' names and locations, its loop names and the stack frames it
 * reports; raw, an ESC or OSC sequence in one of them could clear the screen, retitle the window,
 * move the cursor, or overwrite a line with "ALL GOOD".
 *
 * <p>Escaped: C0 controls (U+0000-U+001F: {@code \e} for ESC, {@code \r}, {@code \n}, {@code \t},
 * {@code \x07} and the like), DEL, the C1 controls (U+0080-U+009F, {@code \u009b} is a CSI of its
 * own), the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069, which reorder what
 * follows them), the line and paragraph separators, and a lone backslash (as {@code \\}, so the
 * escapes cannot be forged). Everything else, any letter of any script, is kept.
 *
 * <pre>{@code
 * Printable.of("sample\u001b]0;pwned\u0007")   // "sample\e]0;pwned\x07"
 * TaskReport shown = Printable.record(report);  // every string of every task escaped, for text
 * }</pre>
 *
 * <p>Text output escapes; {@code --json} output does not need to (JSON escapes control characters
 * itself), so commands hand the raw records to their documents and {@link #record escaped copies}
 * to their text renderers.
 *
 * <h2>Thread safety</h2>
 * Stateless. Returns {@code null} for {@code null}.
 */
public final class Printable {

    private Printable() {
    }

    /** {@code text} with every control character shown as a visible escape; the same string if none. */
    public static String of(String text) {
        return escape(text, true);
    }

    /**
     * {@code text} with its raw control characters escaped and backslashes kept: idempotent, for a
     * screen whose text may pass here more than once (top's cells).
     */
    public static String controls(String text) {
        return escape(text, false);
    }

    /**
     * Escapes {@code text}; with {@code backslashes} false a backslash is kept as it is (for text
     * whose fields were escaped already, and whose backslashes are escapes).
     */
    private static String escape(String text, boolean backslashes) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        int i = 0;
        while (i < n && !unsafe(text.charAt(i), backslashes)) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder sb = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (!unsafe(c, backslashes)) {
                sb.append(c);
                continue;
            }
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case 0x1b -> sb.append("\\e");
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x100) {
                        sb.append("\\x").append(hex(c >> 4)).append(hex(c & 0xF));
                    } else {
                        sb.append("\\u").append(hex(c >> 12)).append(hex((c >> 8) & 0xF))
                                .append(hex((c >> 4) & 0xF)).append(hex(c & 0xF));
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * {@code text} for printing as lines: every control character escaped but the line breaks,
     * which the renderer put there itself. The safety net behind the escaping of each field, so it
     * leaves backslashes alone (they are the fields' escapes).
     */
    public static String lines(String text) {
        if (text == null || text.indexOf('\n') < 0) {
            return escape(text, false);
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        int start = 0;
        for (int nl; (nl = text.indexOf('\n', start)) >= 0; start = nl + 1) {
            sb.append(escape(text.substring(start, nl), false)).append('\n');
        }
        return sb.append(escape(text.substring(start), false)).toString();
    }

    /**
     * A copy of a snapshot-model record (a task, a report, a loop, a target, a family) with every
     * string in it escaped; the record itself if nothing needed escaping.
     */
    @SuppressWarnings("unchecked")
    public static <T extends Record> T record(T value) {
        if (value == null) {
            return null;
        }
        Object tree = Json.toTree(value);
        if (isSafeTree(tree)) {
            return value;
        }
        try {
            return (T) Json.read(escapeTree(tree), value.getClass());
        } catch (JsonException e) {
            throw new IllegalStateException("cannot copy a " + value.getClass().getSimpleName(), e);
        }
    }

    /** {@link #record} of each element. */
    public static <T extends Record> List<T> records(List<T> values) {
        List<T> out = new ArrayList<>(values.size());
        for (T v : values) {
            out.add(record(v));
        }
        return out;
    }

    private static boolean isSafeTree(Object tree) {
        if (tree instanceof String s) {
            return isSafe(s);
        }
        if (tree instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                if (!isSafeTree(v)) {
                    return false;
                }
            }
        } else if (tree instanceof List<?> l) {
            for (Object v : l) {
                if (!isSafeTree(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Object escapeTree(Object tree) {
        if (tree instanceof String s) {
            return of(s);
        }
        if (tree instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, escapeTree(v)));
            return out;
        }
        if (tree instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(v -> out.add(escapeTree(v)));
            return out;
        }
        return tree;
    }

    /** Whether {@code text} holds anything {@link #of} would escape. */
    public static boolean isSafe(String text) {
        if (text == null) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i), true)) {
                return false;
            }
        }
        return true;
    }

    private static boolean unsafe(char c, boolean backslashes) {
        return c < 0x20 || (backslashes && c == '\\') || (c >= 0x7f && c <= 0x9f)
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
    }

    private static char hex(int v) {
        return "0123456789abcdef".charAt(v);
    }
}
