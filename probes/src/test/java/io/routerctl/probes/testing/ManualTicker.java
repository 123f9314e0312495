package io.routerctl.probes.testing;

import io.routerctl.probes.Ticker;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A frozen clock for tests: time stands still until the test advances it, so stuck thresholds and
 * ages are exact and nothing has to sleep.
 *
 * <h2>Thread safety</h2>
 * Safe from any thread: reads and advances are atomic.
 */
public final class ManualTicker implements Ticker {

    private final AtomicLong nanos;

    /** A clock that starts at an arbitrary non-zero time, as {@link System#nanoTime()} does. */
    public ManualTicker() {
        this(1_000_000_000_000L);
    }

    public ManualTicker(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /** Moves time forward by {@code amount}. */
    public ManualTicker advance(Duration amount) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("time only moves forward, got " + amount);
        }
        nanos.addAndGet(amount.toNanos());
        return this;
    }

    /** Moves time forward by {@code millis} milliseconds. */
    public ManualTicker advanceMillis(long millis) {
        return advance(Duration.ofMillis(millis));
    }
}
