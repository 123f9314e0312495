package io.routerctl.console.render;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: a header row and data rows, columns aligned with two spaces between them,
 * no trailing spaces, no borders (the shape of {@code ps} and {@code ss}), so it stays readable
 * in a terminal, a log file and a playbook report alike.
 *
 * <pre>{@code
 * TextTable t = new TextTable().column("ID", Align.RIGHT).column("STATE", Align.LEFT);
 * t.row("2561", "waiting");
 * String text = t.render();
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * Not thread safe: build and render on one thread. {@link #render()} never returns {@code null}.
 */
public final class TextTable {

    /** How a column's cells line up. */
    public enum Align { LEFT, RIGHT }

    /** What an empty ({@code null}) cell shows. */
    public static final String EMPTY = "-";

    private static final String GAP = "  ";

    private final List<String> headers = new ArrayList<>();
    private final List<Align> aligns = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    /** Adds a column; columns are added before rows. */
    public TextTable column(String header, Align align) {
        if (!rows.isEmpty()) {
            throw new IllegalStateException("add columns before rows");
        }
        headers.add(header);
        aligns.add(align);
        return this;
    }

    /** Adds a row with one cell per column; {@code null} cells show as {@value #EMPTY}. */
    public TextTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
        }
        String[] copy = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            copy[i] = cells[i] == null || cells[i].isEmpty() ? EMPTY : cells[i];
        }
        rows.add(copy);
        return this;
    }

    /** Rows added so far. */
    public int rowCount() {
        return rows.size();
    }

    /** The table, one line per row after the header, each line ending in a newline. */
    public String render() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (String[] row : rows) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendLine(out, headers.toArray(new String[0]), widths);
        for (String[] row : rows) {
            appendLine(out, row, widths);
        }
        return out.toString();
    }

    private void appendLine(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append(GAP);
            }
            int pad = widths[c] - cells[c].length();
            if (aligns.get(c) == Align.RIGHT) {
                line.append(" ".repeat(pad)).append(cells[c]);
            } else {
                line.append(cells[c]).append(" ".repeat(pad));
            }
        }
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        out.append(line, 0, end).append('\n');
    }
}
