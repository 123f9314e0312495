package io.routerctl.netty;

import io.netty.channel.ChannelHandlerContext;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.internal.InternalErrors;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A request's work that a framework hands to a thread of its own: gRPC runs a call's service
 * method on its executor, not on the event loop that read the call's stream. A {@link Call} made on
 * the loop while the stream's frame is dispatched carries the stream's task there: around each
 * callback it opens a dispatch on that thread (so the futures the method creates are the
 * request's), and it hands what it saw to the loop (shards have one writer): the method as a step,
 * entered and returned, and then what the request waits on, a future the method left incomplete
 * (linked, so its loss is provable) or else the framework's wait it names (a response observer).
 *
 * <h2>Allocation and threads</h2>
 * Per call: the call and, with its first callback on a thread that is not the loop, its dispatch
 * there, which is that thread's current dispatch only while a callback runs (a plain thread-local,
 * emptied when the callback returns, so that the framework's threads keep nothing of routerctl's);
 * at most one task queued on the loop at a time per call. The call lives as long as its stream
 * (the stream's state holds it). Made on the loop; entered and
 * exited on the framework's thread (one callback at a time, as frameworks serialize a call's
 * callbacks); {@link Call#run} on the loop.
 */
public final class HandOff {

    private HandOff() {
    }

    /** A handed-off method's probe points: its steps and the wait it names when it leaves no future. */
    public static final class Points {
        final HandlerPoints method;
        final ProbePoint wait;

        private Points(Class<?> implementation, String name, String wait) {
            this.method = HandlerPoints.of(implementation, name);
            this.wait = ProbePoint.observed(wait, ProbePoint.Kind.AWAIT, implementation.getName());
        }
    }

    /**
     * The points of method {@code name} of {@code implementation} (steps {@code Impl (name)} and
     * {@code Impl (name) returned}), and of the wait {@code wait}. Make once per method.
     */
    public static Points points(Class<?> implementation, String name, String wait) {
        return new Points(implementation, name, wait);
    }

    /** A class's simple name as the steps show it. */
    public static String simpleName(Class<?> type) {
        return HandlerPoints.simpleName(type);
    }

    /** One handed-off call of a request. */
    public static class Call implements Runnable {
        private final NettyTracking tracking;
        private final Points points;
        private final TaskShard shard;
        private final long task;
        private final ChannelHandlerContext context;
        private final AtomicBoolean posted = new AtomicBoolean();
        /**
         * The future the method left incomplete, until the loop links it: never held longer, since
         * the framework keeps the call reachable while it is open, and a dropped future must be
         * collectable for its loss to be proven.
         */
        private final AtomicReference<Object> future = new AtomicReference<>();
        private volatile ProbePoint futurePoint;
        private volatile long enteredAt;
        private volatile long returnedAt;
        private volatile boolean closed;
        /** On the loop: whether the method's entry was recorded. */
        private boolean enteredRecorded;
        /** The call's dispatch on the framework's threads, made with its first callback there. */
        private Dispatch offLoop;

        /**
         * A call of the request whose stream's frame this loop is dispatching now; check
         * {@link #isTracked()}: outside such a dispatch it tracks nothing.
         */
        protected Call(NettyTracking tracking, Points points) {
            Dispatch d = Dispatch.ifOpen();
            boolean ok = d != null && d.task != TaskShard.NO_TASK && d.context != null && d.stream != null
                    && !tracking.isClosed();
            this.tracking = tracking;
            this.points = points;
            this.shard = ok ? d.shard : null;
            this.task = ok ? d.task : TaskShard.NO_TASK;
            this.context = ok ? d.context : null;
            if (ok) {
                d.stream.attachment = this; // alive as long as its stream, whoever else holds it weakly
            }
        }

        /** Whether it belongs to a tracked request. */
        public final boolean isTracked() {
            return task != TaskShard.NO_TASK;
        }

        /** Before a callback, on the thread that runs it; returns what {@link #exit} needs, or null. */
        public final Object enter() {
            if (!isTracked() || tracking.isClosed()) {
                return null;
            }
            try {
                if (enteredAt == 0) {
                    enteredAt = shard.ticker().nanoTime();
                }
                if (context.executor().inEventLoop()) {
                    // A direct executor: on the loop, inside this stream's frame (another's is left alone).
                    Dispatch d = Dispatch.ifOpen();
                    if (d == null || d.task != task) {
                        return null;
                    }
                    d.enter(points.method);
                    return d;
                }
                Dispatch d = offLoop;
                if (d == null) {
                    d = new Dispatch();
                    offLoop = d;
                }
                d.open(shard, task, tracking.sites());
                d.enter(points.method);
                Dispatch.enterHandedOff(d);
                return d;
            } catch (RuntimeException | LinkageError e) {
                InternalErrors.record("hand-off", e);
                return null;
            }
        }

        /** After the callback (also when it threw): what it left behind, to the loop. */
        public final void exit(Object token) {
            if (!(token instanceof Dispatch d)) {
                return;
            }
            try {
                d.exit();
                for (int i = 0; i < d.futureCount; i++) {
                    if (!ConnectionTracker.isDone(d.futures[i])) {
                        futurePoint = d.futurePoints[i];
                        future.set(d.futures[i]);
                        break;
                    }
                }
                returnedAt = shard.ticker().nanoTime();
                if (context.executor().inEventLoop()) {
                    run();
                } else {
                    Dispatch.leaveHandedOff();
                    d.close(null);
                    if (posted.compareAndSet(false, true)) {
                        ConnectionTracker.post(context.executor(), this);
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                InternalErrors.record("hand-off", e);
            }
        }

        /** The call is over (its stream closed, answered or not). Any thread. */
        public void closed() {
            closed = true;
        }

        /** On the loop: the method's steps, then its wait if the call is still open. */
        @Override
        public final void run() {
            posted.set(false);
            if (!shard.isLive(task)) {
                return;
            }
            shard.beginEvent();
            try {
                if (!enteredRecorded) {
                    enteredRecorded = true;
                    shard.step(task, points.method.called, enteredAt);
                }
                shard.step(task, points.method.returned, returnedAt);
                Object f = future.getAndSet(null);
                if (f != null && !ConnectionTracker.isDone(f)) {
                    ConnectionTracker.link(tracking, shard, context, task, f, futurePoint, null);
                } else if (!closed && !shard.isWaiting(task)) {
                    shard.await(task, points.wait, returnedAt);
                }
            } finally {
                shard.endEvent();
            }
        }
    }
}
