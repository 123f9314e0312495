package io.routerctl.console.demo;

import io.routerctl.console.attach.AttachedTarget;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * A running demo, as a {@link DemoView} gets it.
 *
 * @param sample      the child process
 * @param target      the connection to its attach socket
 * @param out         where to show things (shared with the child's output: synchronize on it)
 * @param interval    how often to refresh
 * @param thresholdMs the stuck threshold
 * @param untilNanos  {@link System#nanoTime()} at which to stop, or {@code null} to run until stopped
 *
 * <h2>Thread safety</h2>
 * Immutable; its parts say their own.
 */
public record DemoSession(SampleProcess sample, AttachedTarget target, PrintWriter out, Duration interval,
                          long thresholdMs, Long untilNanos) {
}
