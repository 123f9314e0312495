package io.routerctl.console.top;

import com.googlecode.lanterna.TerminalTextUtils;
import io.routerctl.console.render.Printable;

/**
 * Fitting text into a number of terminal cells: truncation with an ellipsis, padding, alignment.
 * Widths are in cells as lanterna counts them (wide CJK characters take two).
 *
 * <h2>Thread safety</h2>
 * Stateless. Never returns {@code null}.
 */
final class Cells {

    static final char ELLIPSIS = '…';

    private Cells() {
    }

    /**
     * {@code s} cut to at most {@code width} cells, ending in an ellipsis if it was cut. Every
     * string top draws passes here: control characters a target sent are shown escaped
     * ({@link Printable}), never drawn raw.
     */
    static String cut(String s, int width) {
        if (width <= 0 || s == null) {
            return "";
        }
        s = Printable.controls(s);
        if (TerminalTextUtils.getColumnWidth(s) <= width) {
            return s;
        }
        return TerminalTextUtils.fitString(s, width - 1) + ELLIPSIS;
    }

    /** {@code s} cut or padded with spaces on the right to exactly {@code width} cells. */
    static String left(String s, int width) {
        String cut = cut(s, width);
        return cut + " ".repeat(Math.max(0, width - TerminalTextUtils.getColumnWidth(cut)));
    }

    /** {@code s} cut or padded with spaces on the left to exactly {@code width} cells. */
    static String right(String s, int width) {
        String cut = cut(s, width);
        return " ".repeat(Math.max(0, width - TerminalTextUtils.getColumnWidth(cut))) + cut;
    }

    /** The width of {@code s} in cells, as drawn (escaped). */
    static int width(String s) {
        return s == null ? 0 : TerminalTextUtils.getColumnWidth(Printable.controls(s));
    }
}
