package io.routerctl.attachtests;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Waiting for a condition a test cannot be told about, with a deadline that only bounds a failure. */
final class Poll {

    /** A check that may fail with an exception (a jcmd that did not answer counts as "not yet"). */
    interface Check {
        boolean holds() throws Exception;
    }

    private Poll() {
    }

    /** Until {@code check} holds, every 50 ms; an {@link AssertionError} naming {@code what} at the deadline. */
    static void until(Duration timeout, String what, Check check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + timeout.toSeconds() + "s for " + what
                        + (last == null ? "" : " (last failure: " + last + ")"));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
