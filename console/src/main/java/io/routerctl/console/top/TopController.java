package io.routerctl.console.top;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

/**
 * What each key does to a {@link TopModel}: pure state transitions, no terminal and no I/O. The
 * session compares the model's {@link TopModel#query()} and open view after each key to decide what to
 * ask of the target, so this class never talks to it.
 *
 * <p>Keys (the help overlay lists the same):
 * <pre>
 *   ↑ ↓  PgUp PgDn  g G      move the selection (scroll in the detail and loops views)
 *   ← →                      pick the sort column;  i  inverts the order
 *   /                        filter prompt: typing edits, Enter applies, Esc clears the filter
 *   s                        stuck only on / off
 *   Space                    pause / resume (updates keep arriving and are counted)
 *   Enter                    the selected task's detail
 *   l                        the event-loop view
 *   ?                        help overlay
 *   Esc                      back out (overlay, view, filter)
 *   q                        quit from the task table; Ctrl-C quits anywhere
 * </pre>
 *
 * <h2>Thread safety</h2>
 * Stateless; the model it is given must be confined to the calling thread.
 */
public final class TopController {

    private TopController() {
    }

    /** Applies {@code key} to {@code model}. */
    public static void onKey(TopModel model, KeyStroke key) {
        if (key == null) {
            return;
        }
        if (key.getKeyType() == KeyType.Character && key.isAltDown() && !key.isCtrlDown()) {
            // Esc followed quickly by a key reaches us as Alt+key (the terminal cannot tell them
            // apart): a user who typed Esc then q meant exactly that.
            onKey(model, new KeyStroke(KeyType.Escape));
            onKey(model, new KeyStroke(key.getCharacter(), false, false, key.isShiftDown()));
            return;
        }
        model.clearNotice();
        if (isCtrlC(key) || key.getKeyType() == KeyType.EOF) {
            model.requestQuit();
            return;
        }
        if (model.prompting()) {
            onPromptKey(model, key);
            return;
        }
        if (model.helpVisible()) {
            if (key.getKeyType() == KeyType.Escape || isChar(key, '?') || isChar(key, 'q')) {
                model.setHelpVisible(false);
            }
            return;
        }
        if (isChar(key, '?')) {
            model.setHelpVisible(true);
            return;
        }
        if (isChar(key, ' ')) {
            model.togglePause();
            return;
        }
        switch (model.view()) {
            case TABLE -> onTableKey(model, key);
            case DETAIL, LOOPS -> onSubViewKey(model, key);
        }
    }

    private static void onTableKey(TopModel model, KeyStroke key) {
        int page = Math.max(1, model.pageRows() - 1);
        switch (key.getKeyType()) {
            case ArrowUp -> model.moveSelection(-1);
            case ArrowDown -> model.moveSelection(1);
            case PageUp -> model.moveSelection(-page);
            case PageDown -> model.moveSelection(page);
            case Home -> model.selectFirst();
            case End -> model.selectLast();
            case ArrowLeft -> model.cycleSort(-1);
            case ArrowRight -> model.cycleSort(1);
            case Enter -> model.openDetail();
            case Escape -> model.clearFilter();
            case Character -> {
                switch (key.getCharacter()) {
                    case 'g' -> model.selectFirst();
                    case 'G' -> model.selectLast();
                    case 'k' -> model.moveSelection(-1);
                    case 'j' -> model.moveSelection(1);
                    case 'i' -> model.invertSort();
                    case '/' -> model.startPrompt();
                    case 's' -> model.toggleStuckOnly();
                    case 'c' -> model.toggleFoldServing();
                    case 'l' -> model.openLoops();
                    case 'q' -> model.requestQuit();
                    default -> { }
                }
            }
            default -> { }
        }
    }

    private static void onSubViewKey(TopModel model, KeyStroke key) {
        int page = Math.max(1, model.pageRows() - 1);
        switch (key.getKeyType()) {
            case Escape -> model.backToTable();
            case ArrowUp -> model.scrollView(-1);
            case ArrowDown -> model.scrollView(1);
            case PageUp -> model.scrollView(-page);
            case PageDown -> model.scrollView(page);
            case Character -> {
                char c = key.getCharacter();
                if (c == 'l') {
                    if (model.view() == TopModel.View.LOOPS) {
                        model.backToTable();
                    } else {
                        model.openLoops();
                    }
                } else if (c == 'q') {
                    model.setNotice("Esc goes back to the task table; q quits from there");
                } else if (c == 'k') {
                    model.scrollView(-1);
                } else if (c == 'j') {
                    model.scrollView(1);
                }
            }
            default -> { }
        }
    }

    private static void onPromptKey(TopModel model, KeyStroke key) {
        switch (key.getKeyType()) {
            case Enter -> model.promptApply();
            case Escape -> model.promptCancel();
            case Backspace -> model.promptBackspace();
            case Character -> {
                if (!key.isCtrlDown() && !key.isAltDown() && !Character.isISOControl(key.getCharacter())) {
                    model.promptType(key.getCharacter());
                }
            }
            default -> { }
        }
    }

    private static boolean isCtrlC(KeyStroke key) {
        return key.getKeyType() == KeyType.Character && key.isCtrlDown()
                && Character.toLowerCase(key.getCharacter()) == 'c';
    }

    private static boolean isChar(KeyStroke key, char c) {
        return key.getKeyType() == KeyType.Character && !key.isCtrlDown() && key.getCharacter() == c;
    }
}
