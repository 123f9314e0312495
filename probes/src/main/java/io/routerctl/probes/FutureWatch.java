package io.routerctl.probes;

import java.lang.ref.ReferenceQueue;

/**
 * Watches a future the tool did not create (an application's {@code CompletableFuture} or Netty
 * {@code Promise}) that a task waits on: if the future becomes unreachable before it completed,
 * nobody holds it to complete it, and whoever registered a continuation on it waits forever.
 * Whoever sees the future complete must call {@link #completed()}; a completed watch is cleared
 * and never enqueued.
 *
 * <pre>{@code
 * FutureWatch w = shard.awaitFuture(request, point, future);   // on the task's loop
 * ...
 * w.completed();                                               // from any thread, when it completes
 * }</pre>
 *
 * <h2>Thread safety and allocation</h2>
 * One object per watched future (this reference), created on the task's owning thread;
 * {@link #completed()} from any thread.
 */
public final class FutureWatch extends WaitWatch {

    private volatile boolean done;
    /** What must stay reachable while the task waits (the continuation on the future); see {@link #keep}. */
    private Object kept;

    FutureWatch(Object future, ReferenceQueue<Object> queue, ProbePoint point) {
        super(future, queue, point);
    }

    /** The future completed: nothing left to prove. Idempotent; any thread. */
    public void completed() {
        done = true;
        clear();
    }

    /**
     * Keeps {@code companion} reachable for as long as this watch is: while its task waits, the
     * task's slot holds the watch. For a continuation that the future itself references only
     * weakly (so that a pending future does not keep the watcher's classes alive). Owner thread,
     * before the continuation is added.
     */
    public void keep(Object companion) {
        this.kept = companion;
    }

    /** Whether the watched future is still the one {@code future} (for lookups by identity). */
    public boolean watches(Object future) {
        return refersTo(future);
    }

    @Override
    boolean pending() {
        return !done;
    }

    @Override
    void failWaiter(LostWakeupException e) {
        // The future is gone; its continuations went with it. Reported, nothing to fail.
    }
}
