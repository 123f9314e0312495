package io.routerctl.samples;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stopping a foreground command: Ctrl-C / SIGTERM (through a shutdown hook that runs the cleanup
 * and waits for it), the parent process exiting (with {@code --watch-parent}), or the command
 * ending on its own.
 *
 * <h2>Thread safety</h2>
 * Safe from any thread; the cleanup runs once.
 */
final class Lifecycle {

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Runnable cleanup;
    private boolean cleaned;

    Lifecycle(Runnable cleanup) {
        this.cleanup = cleanup;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.countDown();
            cleanUp();
        }, "routerctl-shutdown"));
    }

    /** Requests a stop when the parent process exits. */
    void watchParent() {
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(stopRequested::countDown));
    }

    /** Waits up to {@code timeout} for a stop request; true if one came. */
    boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopRequested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Waits for a stop request. */
    void awaitStop() throws InterruptedException {
        stopRequested.await();
    }

    /** Runs the cleanup, once. */
    synchronized void cleanUp() {
        if (!cleaned) {
            cleaned = true;
            cleanup.run();
        }
    }
}
