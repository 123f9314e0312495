package io.routerctl.runtime;

import java.time.Duration;
import java.util.function.Supplier;

/** Poll-with-deadline: waits for a condition without sleeping a fixed time. */
final class Poll {
    private Poll() {
    }

    static <T> T until(String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; last seen: " + last);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // poll interval, not a wait for the outcome
            last = probe.get();
        }
        return last;
    }
}
