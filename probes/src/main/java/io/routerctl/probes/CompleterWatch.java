package io.routerctl.probes;

import java.lang.ref.ReferenceQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Watches one {@link Completer}: once it is unreachable, the waiter's future, kept here strongly,
 * tells whether anyone completed it first.
 *
 * <h2>Thread safety</h2>
 * As {@link WaitWatch}.
 */
final class CompleterWatch extends WaitWatch {

    final CompletableFuture<?> future;

    CompleterWatch(Completer<?> completer, ReferenceQueue<Object> queue, CompletableFuture<?> future, ProbePoint point) {
        super(completer, queue, point);
        this.future = future;
    }

    @Override
    boolean pending() {
        return !future.isDone();
    }

    @Override
    void failWaiter(LostWakeupException e) {
        future.completeExceptionally(e);
    }
}
