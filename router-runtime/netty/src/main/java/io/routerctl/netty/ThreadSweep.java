package io.routerctl.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.internal.InternalErrors;

import java.util.concurrent.TimeUnit;

/**
 * Runs {@link TaskShard#sweepThreads} on a loop every {@value #PERIOD_MS} ms while the loop's
 * requests have started threads that still live: their tasks finish when the threads end, and
 * those that outlive their requests are marked orphaned, also when no request comes any more.
 *
 * <h2>Allocation and threads</h2>
 * One per loop, made on the loop with its requests' first thread; one scheduled task at a time,
 * none once every thread ended. Runs and is cancelled on its loop.
 */
final class ThreadSweep implements Runnable {

    static final long PERIOD_MS = 1000;

    private final EventExecutor loop;
    private final TaskShard shard;
    private ScheduledFuture<?> next;

    ThreadSweep(EventExecutor loop, TaskShard shard) {
        this.loop = loop;
        this.shard = shard;
    }

    /** Whether this sweep serves {@code s}. */
    boolean sweeps(TaskShard s) {
        return shard == s;
    }

    /** A thread was registered: the sweep runs from now on until none is left. On the loop. */
    void armed() {
        if (next == null) {
            next = loop.schedule(this, PERIOD_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void run() {
        next = null;
        try {
            if (shard.sweepThreads() > 0) {
                armed();
            }
        } catch (RuntimeException | LinkageError e) {
            InternalErrors.record("thread sweep", e);
        }
    }

    /** Tracking stops: no more sweeps. On the loop. */
    void cancel() {
        ScheduledFuture<?> f = next;
        next = null;
        if (f != null) {
            f.cancel(false);
        }
    }
}
