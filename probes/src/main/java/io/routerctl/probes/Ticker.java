package io.routerctl.probes;

/**
 * The clock the registry reads, in nanoseconds from an arbitrary origin. Production uses
 * {@link #system()}; tests use a frozen, manually advanced ticker so that time-based rules are
 * deterministic.
 *
 * <h2>Thread safety</h2>
 * Implementations must be safe to call from any thread.
 */
@FunctionalInterface
public interface Ticker {

    /** Current time in nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** The JVM's monotonic clock, {@link System#nanoTime()}. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}

final class SystemTicker implements Ticker {
    static final SystemTicker INSTANCE = new SystemTicker();

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
