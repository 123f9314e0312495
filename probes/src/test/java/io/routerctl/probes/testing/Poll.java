package io.routerctl.probes.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Poll-with-deadline: waits for a condition another thread makes true, checking often, failing
 * with a message that says what never happened. For tests only, instead of sleeping "long enough".
 */
public final class Poll {

    private Poll() {
    }

    /** Returns once {@code condition} holds; {@link AssertionError} naming {@code what} after {@code timeout}. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /**
     * The first non-null value {@code attempt} gives, tried every 10 ms; {@link AssertionError}
     * naming {@code what} after {@code timeout}.
     */
    public static <T> T value(Duration timeout, String what, java.util.function.Supplier<T> attempt) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = attempt.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
