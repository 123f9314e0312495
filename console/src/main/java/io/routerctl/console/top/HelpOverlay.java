package io.routerctl.console.top;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.graphics.TextGraphics;

import java.util.List;

/**
 * The help box over the current view: every key and what it does. Centred; clipped on a terminal too
 * small for it.
 *
 * <h2>Thread safety</h2>
 * Stateless; call from the UI thread.
 */
final class HelpOverlay {

    /** The keys, as {key, what it does}; the footer's hints are a subset. */
    static final List<String[]> KEYS = List.of(
            new String[] {"↑ ↓  k j", "move the selection (scroll in detail and loops)"},
            new String[] {"PgUp PgDn", "move a page"},
            new String[] {"g G  Home End", "first / last row (G loads more, up to the cap)"},
            new String[] {"← →", "pick the sort column (marked ▼ or ▲)"},
            new String[] {"i", "invert the sort order"},
            new String[] {"/", "filter by regex: remote, step, waiting on, kind"},
            new String[] {"", "typing edits, Enter applies, Esc clears"},
            new String[] {"s", "stuck only on / off"},
            new String[] {"c", "hide / show connections of listed requests"},
            new String[] {"Space", "pause / resume (updates still counted)"},
            new String[] {"Enter", "detail of the selected task: timeline, relatives"},
            new String[] {"l", "event loops view"},
            new String[] {"?", "this help"},
            new String[] {"Esc", "back out: help, view, then filter"},
            new String[] {"q", "quit (from the task table); Ctrl-C anywhere"});

    private static final String TITLE = " routerctl top: keys ";
    private static final String LEGEND = "rows marked ! are stuck: no progress for the threshold";

    private HelpOverlay() {
    }

    static void draw(TextGraphics g, Theme theme) {
        int width = g.getSize().getColumns();
        int height = g.getSize().getRows();
        int keyWidth = 15;
        int inner = 2 + keyWidth + 50;
        int boxWidth = Math.min(width, inner + 2);
        int boxHeight = Math.min(height, KEYS.size() + 5);
        int left = Math.max(0, (width - boxWidth) / 2);
        int top = Math.max(0, (height - boxHeight) / 2);
        TextGraphics box = g.newTextGraphics(new TerminalPosition(left, top), new TerminalSize(boxWidth, boxHeight));
        theme.plain(box);
        box.fill(' ');
        theme.title(box);
        String horizontal = "─".repeat(Math.max(0, boxWidth - 2));
        box.putString(0, 0, "┌" + horizontal + "┐");
        box.putString(0, boxHeight - 1, "└" + horizontal + "┘");
        for (int y = 1; y < boxHeight - 1; y++) {
            box.putString(0, y, "│");
            box.putString(boxWidth - 1, y, "│");
        }
        box.putString(2, 0, Cells.cut(TITLE, boxWidth - 4));
        String closing = " Esc or ? closes ";
        if (boxWidth > Cells.width(TITLE) + closing.length() + 6) {
            box.putString(boxWidth - 2 - closing.length(), boxHeight - 1, closing);
        }
        int y = 2;
        for (String[] key : KEYS) {
            if (y >= boxHeight - 3) {
                break;
            }
            theme.keyHint(box);
            box.putString(2, y, Cells.left(key[0], keyWidth));
            theme.plain(box);
            box.putString(2 + keyWidth, y, Cells.cut(key[1], boxWidth - 3 - keyWidth - 1));
            y++;
        }
        theme.label(box);
        box.putString(2, boxHeight - 2, Cells.cut(LEGEND, boxWidth - 4));
    }
}
