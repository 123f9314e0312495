package io.routerctl.console.top;

import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    private volatile Predicate<TopModel> holdWhen;
    private volatile CountDownLatch held;
    private volatile CountDownLatch release;

    @Override
    public void accept(TopModel model) {
        synchronized (this) {
            lastFrame = VirtualScreen.lines(terminal);
            updatesReceived = model.updatesReceived();
            frames++;
            notifyAll();
            if (frames == failFrame) {
                throw failOnFrame;
            }
        }
        Predicate<TopModel> hold = holdWhen;
        if (hold != null && hold.test(model)) {
            holdWhen = null;
            held.countDown();
            try {
                if (!release.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never released the UI thread");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Holds the UI thread after the first frame for which {@code condition} holds, until the returned
     * latch is counted down; {@code held} is counted down once it is holding.
     */
    CountDownLatch holdUiWhen(Predicate<TopModel> condition, CountDownLatch held) {
        this.held = held;
        this.release = new CountDownLatch(1);
        this.holdWhen = condition;
        return release;
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
