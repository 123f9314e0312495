package io.routerctl.console.top;

import com.googlecode.lanterna.screen.TerminalScreen;

import java.io.IOException;

/**
 * Takes the terminal into full-screen mode and guarantees it comes back: on a normal exit, on an
 * error (the session calls {@link #close()} in a {@code finally}), and on Ctrl-C or a kill, through a
 * shutdown hook. Restoring twice is harmless: whichever comes first wins.
 *
 * <h2>Thread safety</h2>
 * {@link #restore()} may run on the shutdown hook's thread while the UI thread draws; it is
 * synchronized and lanterna's screen is too.
 */
final class TerminalRestorer implements AutoCloseable {

    /** Where shutdown hooks go: the JVM's in production, a recorder in tests. */
    interface ShutdownHooks {
        void add(Thread hook);

        void remove(Thread hook);

        static ShutdownHooks runtime() {
            return new ShutdownHooks() {
                @Override
                public void add(Thread hook) {
                    Runtime.getRuntime().addShutdownHook(hook);
                }

                @Override
                public void remove(Thread hook) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // The hook is running or about to: it restores the terminal itself.
                    }
                }
            };
        }
    }

    private final TerminalScreen screen;
    private final ShutdownHooks hooks;
    private final Thread hook;
    private boolean restored;

    TerminalRestorer(TerminalScreen screen, ShutdownHooks hooks) {
        this.screen = screen;
        this.hooks = hooks;
        this.hook = new Thread(this::restore, "routerctl-top-restore-terminal");
    }

    /** Registers the hook, then enters full-screen mode with the cursor hidden. */
    void start() throws IOException {
        hooks.add(hook);
        screen.startScreen();
        screen.setCursorPosition(null);
    }

    /** Leaves full-screen mode (cursor back, previous screen content back); idempotent. */
    synchronized void restore() {
        if (restored) {
            return;
        }
        restored = true;
        try {
            screen.stopScreen();
            // stopScreen() leaves the cursor as the screen had it: hidden.
            screen.getTerminal().setCursorVisible(true);
            screen.getTerminal().flush();
        } catch (IOException | RuntimeException e) {
            // Nothing better to do on the way out: the terminal is as restored as it can be.
        }
    }

    synchronized boolean restored() {
        return restored;
    }

    @Override
    public void close() {
        restore();
        hooks.remove(hook);
    }
}
