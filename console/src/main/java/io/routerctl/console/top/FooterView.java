package io.routerctl.console.top;

import com.googlecode.lanterna.graphics.TextGraphics;

/**
 * The two bottom lines. The first is the status of the table (which rows, of how many, sort, filter,
 * stuck-only, how much of a large result was loaded) or, while typing, the filter prompt with its
 * error; a notice replaces it for one key. The second holds key hints for the open view.
 *
 * <h2>Thread safety</h2>
 * Stateless; call from the UI thread with a model confined to it.
 */
final class FooterView {

    static final int HEIGHT = 2;

    private static final String TABLE_KEYS =
            "↑↓ move  ←→ sort  i invert  / filter  s stuck only  c connections  Space pause  Enter detail  l loops  ? help  q quit";
    private static final String DETAIL_KEYS = "↑↓ scroll  Esc back  l loops  Space pause  ? help";
    private static final String LOOPS_KEYS = "↑↓ scroll  Esc back  Space pause  ? help";
    private static final String PROMPT_KEYS = "type a regex  Enter apply  Esc clear the filter  Backspace delete";

    private FooterView() {
    }

    static void draw(TextGraphics g, TopModel model, Theme theme) {
        int width = g.getSize().getColumns();
        theme.plain(g);
        g.fill(' ');
        if (model.prompting()) {
            theme.title(g);
            String prompt = "filter /" + model.promptText() + "_";
            g.putString(0, 0, Cells.cut(prompt, width));
            if (model.promptError() != null) {
                theme.stuck(g);
                int x = Math.min(width, Cells.width(prompt) + 3);
                g.putString(x, 0, Cells.cut("bad regex: " + model.promptError(), width - x));
            }
        } else if (model.notice() != null) {
            theme.warning(g);
            g.putString(0, 0, Cells.cut(model.notice(), width));
        } else {
            theme.label(g);
            g.putString(0, 0, Cells.cut(status(model), width));
        }
        theme.keyHint(g);
        String keys = model.prompting() ? PROMPT_KEYS : switch (model.view()) {
            case TABLE -> TABLE_KEYS;
            case DETAIL -> DETAIL_KEYS;
            case LOOPS -> LOOPS_KEYS;
        };
        g.putString(0, 1, Cells.cut(keys, width));
    }

    /** The status line for the table: position, sort, filter, stuck-only, window. */
    static String status(TopModel model) {
        StringBuilder s = new StringBuilder();
        LiveData data = model.shown();
        int rows = model.rows().size();
        if (data != null) {
            int matched = data.report().matched();
            if (rows == 0) {
                s.append("no rows");
            } else {
                int first = model.scrollTop() + 1;
                int last = Math.min(rows, model.scrollTop() + model.pageRows());
                s.append("rows ").append(first).append('-').append(last).append(" of ")
                        .append(TimeText.count(matched - model.foldedConnections()));
            }
            int loaded = data.report().tasks().size();
            if (matched > loaded) {
                s.append(" (first ").append(TimeText.count(loaded)).append(" loaded");
                if (model.windowRows() >= model.maxWindowRows()) {
                    s.append(", at most ").append(TimeText.count(model.maxWindowRows())).append(": narrow with / or s");
                }
                s.append(')');
            }
            s.append("   ");
        }
        boolean down = model.sortColumn().naturallyDescending() != model.inverted();
        s.append("sort ").append(model.sortColumn().title).append(down ? " ▼" : " ▲");
        if (model.filter() != null) {
            s.append("   filter /").append(model.filter()).append('/');
        }
        if (model.stuckOnly()) {
            s.append("   stuck only");
        }
        int folded = model.foldedConnections();
        if (folded > 0) {
            s.append("   ").append(TimeText.count(folded)).append(folded == 1 ? " connection" : " connections")
                    .append(" hidden (c)");
        }
        if (model.paused()) {
            s.append("   PAUSED");
        }
        if (model.awaitingRows() && model.link() == TopModel.Link.CONNECTED) {
            s.append("   updating...");
        }
        return s.toString();
    }
}
