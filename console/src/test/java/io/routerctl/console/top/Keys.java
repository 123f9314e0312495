package io.routerctl.console.top;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

/** Key strokes as a person types them. */
final class Keys {

    static final KeyStroke UP = new KeyStroke(KeyType.ArrowUp);
    static final KeyStroke DOWN = new KeyStroke(KeyType.ArrowDown);
    static final KeyStroke LEFT = new KeyStroke(KeyType.ArrowLeft);
    static final KeyStroke RIGHT = new KeyStroke(KeyType.ArrowRight);
    static final KeyStroke PAGE_DOWN = new KeyStroke(KeyType.PageDown);
    static final KeyStroke PAGE_UP = new KeyStroke(KeyType.PageUp);
    static final KeyStroke ENTER = new KeyStroke(KeyType.Enter);
    static final KeyStroke ESC = new KeyStroke(KeyType.Escape);
    static final KeyStroke BACKSPACE = new KeyStroke(KeyType.Backspace);
    static final KeyStroke SPACE = ch(' ');
    static final KeyStroke CTRL_C = new KeyStroke('c', true, false);

    private Keys() {
    }

    static KeyStroke ch(char c) {
        return new KeyStroke(c, false, false);
    }

    /** Types {@code keys} into {@code model}; strings are typed character by character. */
    static void press(TopModel model, Object... keys) {
        for (Object k : keys) {
            if (k instanceof KeyStroke stroke) {
                TopController.onKey(model, stroke);
            } else {
                for (char c : k.toString().toCharArray()) {
                    TopController.onKey(model, ch(c));
                }
            }
        }
    }
}
