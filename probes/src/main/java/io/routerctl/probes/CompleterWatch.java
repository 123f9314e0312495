package io.routerctl.probes;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Watches one {@link Completer} for the registry, the way Netty's leak detector watches buffers:
 * a phantom reference, held strongly by the waiting task's slot, that the collector enqueues once
 * the completer is unreachable. The {@link LostWakeupDetector} then checks the future: still
 * incomplete means nobody can ever complete it.
 *
 * <h2>Thread safety</h2>
 * Created on the task's owning thread; {@link #lost} is written once by the detector thread and
 * read by query threads (volatile).
 */
final class CompleterWatch extends PhantomReference<Completer<?>> {

    final CompletableFuture<?> future;
    final ProbePoint point;
    volatile boolean lost;

    CompleterWatch(Completer<?> completer, ReferenceQueue<? super Completer<?>> queue,
                   CompletableFuture<?> future, ProbePoint point) {
        super(completer, queue);
        this.future = future;
        this.point = point;
    }
}
