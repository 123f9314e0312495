package io.routerctl.console.top;

import com.googlecode.lanterna.graphics.TextGraphics;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.List;

/**
 * The task table: a header row naming the columns (the sort column carries {@code ▼} or {@code ▲},
 * the direction the values run down the table), then one row per task from the model's scroll
 * position. A stuck row starts with {@code !} and is drawn in the stuck style, so it stands out with
 * and without colour; the selected row is in reverse video. Columns come from {@link TableLayout}, so
 * they drop or shrink on narrow terminals.
 *
 * <h2>Thread safety</h2>
 * Stateless; call from the UI thread with a model confined to it.
 */
final class TaskTableView {

    static final char STUCK_MARKER = '!';

    private TaskTableView() {
    }

    /** Table rows (not counting the header) that fit in a body {@code height} rows high. */
    static int rowsFor(int height) {
        return Math.max(1, height - 1);
    }

    static void draw(TextGraphics g, TopModel model, Theme theme) {
        int width = g.getSize().getColumns();
        int height = g.getSize().getRows();
        theme.plain(g);
        g.fill(' ');
        TableLayout layout = TableLayout.of(width, model.rows().stream().anyMatch(t -> t.label() != null));

        theme.tableHeader(g);
        g.putString(0, 0, " ".repeat(width));
        for (TableLayout.Placed p : layout.columns()) {
            String title = p.column().title;
            if (p.column() == model.sortColumn()) {
                boolean down = p.column().naturallyDescending() != model.inverted();
                title = Cells.cut(title, p.width() - 1) + (down ? "▼" : "▲");
            }
            g.putString(p.x(), 0, p.column().alignRight ? Cells.right(title, p.width()) : Cells.left(title, p.width()));
        }

        List<TaskSnapshot> rows = model.rows();
        if (rows.isEmpty()) {
            theme.label(g);
            g.putString(TableLayout.MARKER_WIDTH, 1, Cells.cut(emptyText(model), width - TableLayout.MARKER_WIDTH));
            return;
        }
        int visible = rowsFor(height);
        java.util.Set<Long> serving = io.routerctl.console.render.TaskFacts.servingRequests(rows);
        for (int line = 0; line < visible; line++) {
            int index = model.scrollTop() + line;
            if (index >= rows.size()) {
                break;
            }
            TaskSnapshot task = rows.get(index);
            boolean isSelected = index == model.selectedIndex();
            if (isSelected) {
                theme.selected(g, task.stuck());
            } else if (task.stuck()) {
                theme.stuck(g);
            } else {
                theme.plain(g);
            }
            g.putString(0, line + 1, row(task, layout, serving.contains(task.id())));
        }
    }

    /** One task as a line of exactly the layout's width. */
    static String row(TaskSnapshot task, TableLayout layout) {
        return row(task, layout, false);
    }

    /** One task as a line; {@code serving}: a request of the table has it as its parent. */
    static String row(TaskSnapshot task, TableLayout layout, boolean serving) {
        StringBuilder line = new StringBuilder(layout.width());
        line.append(task.stuck() ? STUCK_MARKER : ' ').append(' ');
        for (TableLayout.Placed p : layout.columns()) {
            while (line.length() < p.x()) {
                line.append(' ');
            }
            String cell = p.column() == Column.STATE ? io.routerctl.console.render.TaskFacts.state(task, serving)
                    : p.column() == Column.WARN ? Column.warnCell(task, p.width()) : p.column().cell(task);
            line.append(p.column().alignRight ? Cells.right(cell, p.width()) : Cells.left(cell, p.width()));
        }
        return Cells.left(line.toString(), layout.width());
    }

    private static String emptyText(TopModel model) {
        if (model.shown() == null) {
            return "waiting for the first update...";
        }
        if (model.filter() != null && model.stuckOnly()) {
            return "no stuck task matches /" + model.filter() + "/";
        }
        if (model.filter() != null) {
            return "no task matches /" + model.filter() + "/";
        }
        if (model.stuckOnly()) {
            return "nothing stuck for " + TimeText.duration(model.olderThanMs()) + " or more";
        }
        return "no tasks in flight";
    }
}
