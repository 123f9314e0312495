package io.routerctl.playbooks;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as the playbook runner sees it: the wall clock for the report, a monotonic clock for
 * deadlines, and sleeping. Production uses {@link #system()}; tests use a manual clock whose
 * {@code sleep} advances time instead of waiting, so {@code repeat}, {@code sleep} and
 * {@code wait-until} are tested without real pauses.
 *
 * <h2>Thread safety</h2>
 * Called from the one thread running the playbook.
 */
public interface PlaybookClock {

    /** The wall-clock time, for the report and the default bundle name. Never {@code null}. */
    Instant now();

    /** Monotonic nanoseconds; only differences mean anything. */
    long nanoTime();

    /** Pauses for {@code duration}; returns at once for zero or negative durations. */
    void sleep(Duration duration) throws InterruptedException;

    /** The system clocks and {@link Thread#sleep}. */
    static PlaybookClock system() {
        return new PlaybookClock() {
            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                if (!duration.isNegative() && !duration.isZero()) {
                    Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
                }
            }
        };
    }
}
