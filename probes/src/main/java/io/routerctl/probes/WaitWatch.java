package io.routerctl.probes;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;

/**
 * What the registry watches for one tracked wait, the way Netty's leak detector watches buffers: a
 * phantom reference, held strongly by the waiting task's slot, that the collector enqueues once
 * the object that could end the wait is unreachable. The {@link LostWakeupDetector} then asks
 * {@link #pending()}: still pending means nobody can ever end it, a lost wake-up.
 *
 * <p>Two kinds: {@link CompleterWatch} watches a {@link Completer} (the completing side; the
 * waiter's future is kept strongly to look at), {@link FutureWatch} a future the tool did not
 * create (the future itself: nothing else to look at, so its completion must be reported).
 *
 * <h2>Thread safety</h2>
 * Created on the task's owning thread; {@link #lost} is written once by the detector thread and
 * read by query threads (volatile).
 */
abstract class WaitWatch extends PhantomReference<Object> {

    final ProbePoint point;
    volatile boolean lost;

    WaitWatch(Object referent, ReferenceQueue<Object> queue, ProbePoint point) {
        super(referent, queue);
        this.point = point;
    }

    /** Whether the wait is still pending now that its referent is unreachable. */
    abstract boolean pending();

    /** Ends the waiter's wait with {@code e}, where there is a waiter's future to end (policy FAIL). */
    abstract void failWaiter(LostWakeupException e);
}
