package io.routerctl.console.top;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.graphics.TextGraphics;

/**
 * Places the views on the screen and draws a whole frame: header (2 lines), warnings (1), the body
 * (task table, task detail or loops), footer (2), and the help overlay on top when open. Everything
 * is laid out from the current size on every frame, so a resize re-lays the screen.
 *
 * <h2>Thread safety</h2>
 * Stateless; call from the UI thread with a model confined to it.
 */
final class TopScreenLayout {

    /** Below this the screen says it is too small instead of drawing a broken layout. */
    static final int MIN_COLUMNS = 30;
    static final int MIN_ROWS = 8;

    private static final int BODY_TOP = HeaderView.HEIGHT + WarningsView.HEIGHT;
    private static final int CHROME = BODY_TOP + FooterView.HEIGHT;

    private TopScreenLayout() {
    }

    /** Table rows visible on a screen of {@code size}. */
    static int tableRows(TerminalSize size) {
        return TaskTableView.rowsFor(Math.max(1, size.getRows() - CHROME));
    }

    /** Draws the model on {@code g}, which covers the whole screen. */
    static void draw(TextGraphics g, TopModel model, Theme theme) {
        TerminalSize size = g.getSize();
        theme.plain(g);
        g.fill(' ');
        if (size.getColumns() < MIN_COLUMNS || size.getRows() < MIN_ROWS) {
            theme.warning(g);
            g.putString(0, 0, Cells.cut("terminal too small for top: " + size.getColumns() + "x" + size.getRows()
                    + ", needs " + MIN_COLUMNS + "x" + MIN_ROWS, size.getColumns()));
            return;
        }
        model.setPageRows(tableRows(size));
        int width = size.getColumns();
        int bodyHeight = size.getRows() - CHROME;
        HeaderView.draw(area(g, 0, width, HeaderView.HEIGHT), model, theme);
        WarningsView.draw(area(g, HeaderView.HEIGHT, width, WarningsView.HEIGHT), model, theme);
        TextGraphics body = area(g, BODY_TOP, width, bodyHeight);
        switch (model.view()) {
            case TABLE -> TaskTableView.draw(body, model, theme);
            case DETAIL -> {
                model.limitDetailScroll(TaskDetailView.lines(model).size() - bodyHeight);
                TaskDetailView.draw(body, model, theme);
            }
            case LOOPS -> LoopsView.draw(body, model, theme);
        }
        FooterView.draw(area(g, BODY_TOP + bodyHeight, width, FooterView.HEIGHT), model, theme);
        if (model.helpVisible()) {
            HelpOverlay.draw(g, theme);
        }
    }

    private static TextGraphics area(TextGraphics g, int top, int width, int height) {
        return g.newTextGraphics(new TerminalPosition(0, top), new TerminalSize(width, height));
    }
}
