package io.routerctl.console.top;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where each column of the task table goes for a given width: columns are dropped lowest
 * {@link Column#priority} first until the rest fit at their minimum widths, then shrunk from their
 * preferred widths (least important first) or grown toward their maximum (most important first).
 *
 * <p>Every row starts with a two-cell marker ({@code !} and a space for a stuck task), so that stuck
 * rows are visible without colour.
 *
 * <h2>Thread safety</h2>
 * Immutable once built.
 *
 * @param width   the width laid out for
 * @param columns the columns shown, in screen order, with their x and width
 */
record TableLayout(int width, List<Placed> columns) {

    /** Cells before the first column: the stuck marker and a space. */
    static final int MARKER_WIDTH = 2;
    /** Cells between two columns. */
    static final int GAP = 1;
    /** Who gets spare width first: the columns whose text is long, then the short ones. */
    private static final Column[] GROWTH_ORDER = {Column.LAST_STEP, Column.WAITING_ON, Column.WHAT, Column.WARN,
        Column.LOOP, Column.REMOTE, Column.KIND, Column.STATE, Column.ID, Column.AGE, Column.SINCE};

    /** One column's place on the screen. */
    record Placed(Column column, int x, int width) {
    }

    /** The layout for a table {@code width} cells wide, without the WHAT column. */
    static TableLayout of(int width) {
        return of(width, false);
    }

    /** The layout for a table {@code width} cells wide; WHAT only when some task has a label. */
    static TableLayout of(int width, boolean labels) {
        List<Column> shown = new ArrayList<>(List.of(Column.values()));
        if (!labels) {
            shown.remove(Column.WHAT);
        }
        List<Column> byPriority = new ArrayList<>(shown);
        byPriority.sort(Comparator.comparingInt(c -> c.priority));
        int dropIndex = 0;
        while (shown.size() > 1 && total(shown, c -> c.minWidth) > width) {
            shown.remove(byPriority.get(dropIndex++));
        }
        Map<Column, Integer> widths = new EnumMap<>(Column.class);
        for (Column c : shown) {
            widths.put(c, c.preferredWidth);
        }
        int excess = sum(shown, widths) - width;
        // Too wide: take from the least important columns first, down to their minimum.
        for (int i = 0; excess > 0 && i < byPriority.size(); i++) {
            Column c = byPriority.get(i);
            if (widths.containsKey(c)) {
                int give = Math.min(excess, widths.get(c) - c.minWidth);
                widths.put(c, widths.get(c) - give);
                excess -= give;
            }
        }
        // Room to spare: give it first to the columns whose text runs long, then to the rest.
        for (int i = 0; excess < 0 && i < GROWTH_ORDER.length; i++) {
            Column c = GROWTH_ORDER[i];
            if (widths.containsKey(c)) {
                int take = Math.min(-excess, c.maxWidth - widths.get(c));
                widths.put(c, widths.get(c) + take);
                excess += take;
            }
        }
        List<Placed> placed = new ArrayList<>(shown.size());
        int x = MARKER_WIDTH;
        for (Column c : shown) {
            int w = Math.max(1, Math.min(widths.get(c), width - x));
            if (x >= width) {
                break;
            }
            placed.add(new Placed(c, x, w));
            x += w + GAP;
        }
        return new TableLayout(width, List.copyOf(placed));
    }

    /** Whether {@code column} is on screen. */
    boolean shows(Column column) {
        return find(column) != null;
    }

    /** Where {@code column} is, or {@code null} if it was dropped. */
    Placed find(Column column) {
        for (Placed p : columns) {
            if (p.column() == column) {
                return p;
            }
        }
        return null;
    }

    private static int total(List<Column> cols, java.util.function.ToIntFunction<Column> w) {
        int t = MARKER_WIDTH + GAP * (cols.size() - 1);
        for (Column c : cols) {
            t += w.applyAsInt(c);
        }
        return t;
    }

    private static int sum(List<Column> cols, Map<Column, Integer> widths) {
        return total(cols, widths::get);
    }
}
