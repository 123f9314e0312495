package io.routerctl.samples.router;

import java.time.Duration;

/**
 * The sample's second misbehaviour ({@code --misbehave block-loop}): a "report render" that
 * blocks the thread it runs on, called by the router for {@code GET /api/report} right on the
 * event loop. Every other request of that loop stalls for the render's duration; routerctl's loop
 * watchdog then shows the loop as blocked, with this method on its captured stack, and marks the
 * loop's requests {@code blocked-loop}.
 *
 * <p>The blocking is deliberate and real (the thread sleeps, as a synchronous PDF library or a
 * JDBC call would hold it): that is the pathology to demonstrate.
 *
 * <h2>Thread safety</h2>
 * Immutable; safe from any thread (and harmful on an event loop, by design).
 */
public final class ReportRenderer {

    /** The path that triggers the blocking render. */
    public static final String PATH = "/api/report";

    private final Duration renderTime;

    public ReportRenderer(Duration renderTime) {
        if (renderTime.isNegative()) {
            throw new IllegalArgumentException("render time must not be negative, got " + renderTime);
        }
        this.renderTime = renderTime;
    }

    /** How long one render blocks its thread. */
    public Duration renderTime() {
        return renderTime;
    }

    /** Renders the report, blocking the calling thread for {@link #renderTime()}; never null. */
    public String render() {
        long deadline = System.nanoTime() + renderTime.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return "report rendered in " + renderTime.toMillis() + " ms (on the event loop)\n";
    }
}
