package io.routerctl.console.top;

import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Sees every frame the session draws (on the UI thread, right after the refresh) and lets a test wait,
 * with a deadline, until the screen shows what a person would be waiting for.
 */
final class ScreenWatcher implements Consumer<TopModel> {

    private static final long DEADLINE_MS = 10_000;

    private final DefaultVirtualTerminal terminal;
    private List<String> lastFrame = List.of();
    private long updatesReceived;
    private int frames;
    private RuntimeException failOnFrame;
    private int failFrame = -1;

    ScreenWatcher(DefaultVirtualTerminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public synchronized void accept(TopModel model) {
        lastFrame = VirtualScreen.lines(terminal);
        updatesReceived = model.updatesReceived();
        frames++;
        notifyAll();
        if (frames == failFrame) {
            throw failOnFrame;
        }
    }

    /** Makes frame number {@code frame} throw {@code error} on the UI thread, after it is drawn. */
    synchronized void failOn(int frame, RuntimeException error) {
        failFrame = frame;
        failOnFrame = error;
    }

    /** Waits until the screen's text satisfies {@code condition}; fails with the last frame after the deadline. */
    synchronized String await(String what, Predicate<String> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + DEADLINE_MS;
        while (!condition.test(VirtualScreen.text(lastFrame))) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("screen never showed " + what + "; last frame:\n" + VirtualScreen.text(lastFrame));
            }
            wait(left);
        }
        return VirtualScreen.text(lastFrame);
    }

    String awaitText(String text) throws InterruptedException {
        return await("'" + text + "'", s -> s.contains(text));
    }

    synchronized long updatesReceived() {
        return updatesReceived;
    }
}
