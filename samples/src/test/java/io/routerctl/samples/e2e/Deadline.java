package io.routerctl.samples.e2e;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; the failure says what never happened. */
final class Deadline {

    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private Deadline() {
    }

    /** Waits until {@code condition} holds; fails with {@code what} and {@code state} after {@code limit}. */
    static void await(Duration limit, String what, BooleanSupplier condition, Supplier<String> state) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("within " + limit.toSeconds() + "s: " + what + " never happened; "
                        + state.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
