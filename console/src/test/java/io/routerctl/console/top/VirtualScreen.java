package io.routerctl.console.top;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Draws a model the way the session does, on a lanterna virtual terminal, and reads the screen back. */
final class VirtualScreen implements AutoCloseable {

    final DefaultVirtualTerminal terminal;
    final TerminalScreen screen;
    Theme theme = Theme.colour();

    VirtualScreen(int columns, int rows) throws IOException {
        terminal = new DefaultVirtualTerminal(new TerminalSize(columns, rows));
        screen = new TerminalScreen(terminal);
        screen.startScreen();
    }

    VirtualScreen withTheme(Theme theme) {
        this.theme = theme;
        return this;
    }

    /** Draws {@code model} and returns what the terminal now shows. */
    List<String> render(TopModel model) throws IOException {
        screen.doResizeIfNecessary();
        TopScreenLayout.draw(screen.newTextGraphics(), model, theme);
        screen.refresh();
        return lines(terminal);
    }

    void resize(int columns, int rows) {
        terminal.setTerminalSize(new TerminalSize(columns, rows));
    }

    /** The visible text of {@code terminal}, one string per row, trailing spaces removed. */
    static List<String> lines(DefaultVirtualTerminal terminal) {
        TerminalSize size = terminal.getTerminalSize();
        List<String> out = new ArrayList<>(size.getRows());
        for (int row = 0; row < size.getRows(); row++) {
            StringBuilder line = new StringBuilder();
            for (int col = 0; col < size.getColumns(); col++) {
                TextCharacter c = terminal.getCharacter(new TerminalPosition(col, row));
                line.append(c == null ? " " : c.getCharacterString());
            }
            out.add(line.toString().replaceAll("\\s+$", ""));
        }
        return out;
    }

    static String text(List<String> lines) {
        return String.join("\n", lines);
    }

    TextCharacter at(int col, int row) {
        return terminal.getCharacter(new TerminalPosition(col, row));
    }

    @Override
    public void close() throws IOException {
        screen.stopScreen();
    }
}
