package io.routerctl.console.top;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;

import java.util.Map;

/**
 * The styles {@code top} draws with, with or without colour. With {@code NO_COLOR} set (to anything
 * but the empty string, as https://no-color.org asks) no colour is ever set; emphasis is left to bold
 * and reverse video, and every state that colour shows is also spelled out or marked (the {@code !}
 * of a stuck row, the words {@code stuck}, {@code reconnecting}, {@code paused}).
 *
 * <h2>Thread safety</h2>
 * Immutable; the {@link TextGraphics} passed in must be used by one thread.
 */
final class Theme {

    private final boolean colour;

    private Theme(boolean colour) {
        this.colour = colour;
    }

    /** Colour unless the environment has a non-empty {@code NO_COLOR}. */
    static Theme fromEnvironment(Map<String, String> env) {
        String noColor = env.get("NO_COLOR");
        return new Theme(noColor == null || noColor.isEmpty());
    }

    static Theme colour() {
        return new Theme(true);
    }

    static Theme noColour() {
        return new Theme(false);
    }

    boolean usesColour() {
        return colour;
    }

    void plain(TextGraphics g) {
        g.clearModifiers();
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
        g.setBackgroundColor(TextColor.ANSI.DEFAULT);
    }

    void title(TextGraphics g) {
        plain(g);
        g.enableModifiers(SGR.BOLD);
        if (colour) {
            g.setForegroundColor(TextColor.ANSI.CYAN);
        }
    }

    void label(TextGraphics g) {
        plain(g);
        if (colour) {
            g.setForegroundColor(TextColor.ANSI.BLACK_BRIGHT);
        }
    }

    void tableHeader(TextGraphics g) {
        plain(g);
        g.enableModifiers(SGR.BOLD);
        if (colour) {
            g.setForegroundColor(TextColor.ANSI.BLACK);
            g.setBackgroundColor(TextColor.ANSI.CYAN);
        } else {
            g.enableModifiers(SGR.REVERSE);
        }
    }

    void stuck(TextGraphics g) {
        plain(g);
        g.enableModifiers(SGR.BOLD);
        if (colour) {
            g.setForegroundColor(TextColor.ANSI.RED_BRIGHT);
        }
    }

    void selected(TextGraphics g, boolean stuck) {
        plain(g);
        g.enableModifiers(SGR.REVERSE);
        if (stuck) {
            g.enableModifiers(SGR.BOLD);
            if (colour) {
                g.setForegroundColor(TextColor.ANSI.RED_BRIGHT);
            }
        }
    }

    void warning(TextGraphics g) {
        plain(g);
        g.enableModifiers(SGR.BOLD);
        if (colour) {
            g.setForegroundColor(TextColor.ANSI.YELLOW_BRIGHT);
        }
    }

    void problem(TextGraphics g) {
        plain(g);
        g.enableModifiers(SGR.BOLD);
        if (colour) {
            g.setForegroundColor(TextColor.ANSI.WHITE_BRIGHT);
            g.setBackgroundColor(TextColor.ANSI.RED);
        } else {
            g.enableModifiers(SGR.REVERSE);
        }
    }

    void good(TextGraphics g) {
        plain(g);
        if (colour) {
            g.setForegroundColor(TextColor.ANSI.GREEN);
        }
    }

    void keyHint(TextGraphics g) {
        plain(g);
        g.enableModifiers(SGR.BOLD);
    }
}
