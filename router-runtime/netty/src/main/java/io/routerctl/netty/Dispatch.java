package io.routerctl.netty;

import io.netty.util.concurrent.FastThreadLocal;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskShard;

/**
 * What an event loop is doing right now, for the observers that have no channel in hand (a
 * {@code CompletableFuture}'s constructor, an application handler's {@code channelRead}): which
 * tracked request or exchange the message being dispatched belongs to, which application handlers
 * are running, which handler returned first, and the futures created meanwhile.
 *
 * <p>A {@link ConnectionTracker} opens it around every inbound message of its channel (it is first
 * in the pipeline, so the whole dispatch happens inside) and closes it when the message has been
 * handled; the request trackers set {@link #task} once they know the request.
 *
 * <h2>Allocation and threads</h2>
 * One per thread that dispatches a tracked channel's messages, created on first use; opening and
 * closing allocate nothing, except a saved copy when a dispatch nests inside another channel's
 * (an embedded channel). Only its own thread reads or writes it.
 */
final class Dispatch {

    static final int MAX_DEPTH = 16;
    static final int MAX_FUTURES = 4;

    private static final FastThreadLocal<Dispatch> CURRENT = new FastThreadLocal<>() {
        @Override
        protected Dispatch initialValue() {
            return new Dispatch();
        }
    };

    /** Open while a tracked channel's message is being dispatched on this thread. */
    boolean open;
    TaskShard shard;
    /** The request or exchange the message belongs to, or {@link TaskShard#NO_TASK}. */
    long task;
    /** The message completed its request (its last content was read): it may wait now. */
    boolean complete;
    /** Record a code site (a stack walk) per future created: the agent's deep sites. */
    boolean sites;
    /**
     * The message continues a request whose head was dispatched before (its content): a
     * framework's handlers record no steps for it, so that the request's few kept steps are the
     * framework's entries into the application's code rather than the same handlers passing its
     * last bytes on.
     */
    boolean continuation;
    /**
     * What kind of dispatch this is, for learning futures' sites ({@link HandlerPoints#site}): a
     * framework makes different futures of its own before the application's in each, so each
     * kind learns apart. One of the {@code SHAPE_} constants.
     */
    int shape;
    /** A message through the service's codec (HTTP/1), or anything else tracked per connection. */
    static final int SHAPE_MESSAGE = 0;
    /** A frame of an HTTP/2 stream. */
    static final int SHAPE_STREAM = 1;
    /** Bytes before any codec was found (a server that adds its codec on the first bytes): HTTP/1. */
    static final int SHAPE_BYTES = 2;
    /** The same, an HTTP/1 request asking to upgrade to HTTP/2 (h2c). */
    static final int SHAPE_BYTES_UPGRADE = 3;
    /** The same, HTTP/2 with prior knowledge. */
    static final int SHAPE_BYTES_H2 = 4;
    static final int SHAPES = 5;
    /**
     * The sites of the futures made after the last step an observer reported in this dispatch (a
     * controller, a route: {@link PipelineObserver#step}), and how many futures were made before
     * it; null when none was reported.
     */
    StepSites code;
    int codeBase;

    final HandlerPoints[] running = new HandlerPoints[MAX_DEPTH];
    int depth;
    /** The innermost application handler that returned (or threw) during this dispatch. */
    HandlerPoints leaf;

    /**
     * The context of the handler that set {@link #task} for a stream of a connection (an HTTP/2
     * codec), for a framework part that must post to the stream's loop; null otherwise.
     */
    io.netty.channel.ChannelHandlerContext context;

    /**
     * Where the request waits once handled, if a thread was started meanwhile (the first one's
     * handler's point); null if none was.
     */
    ProbePoint thread;
    /** This loop's sweep of the threads its requests started, once one was ({@link PipelineObserver#threadCreated}). */
    ThreadSweep threadSweep;

    final Object[] futures = new Object[MAX_FUTURES];
    final ProbePoint[] futurePoints = new ProbePoint[MAX_FUTURES];
    int futureCount;
    /** The last future made in this dispatch, kept or not (see {@link PipelineObserver#sinkMade}). */
    Object lastMade;

    /**
     * The dispatch of a handed-off call ({@link HandOff}) on a thread that is not an event loop,
     * set only while one of its callbacks runs there: a plain thread-local whose value is removed
     * when the callback returns, so that a framework's thread keeps nothing of routerctl's.
     */
    private static final ThreadLocal<Dispatch> HANDED_OFF = new ThreadLocal<>();

    /**
     * The per-stream state the codec's listener keeps ({@link Http2StreamListener}), for what must
     * live exactly as long as the stream (a handed-off call); null when the task is not a stream's.
     */
    Http2StreamListener.Stream stream;

    Dispatch() {
    }

    /** This thread's dispatch, created on first use (loop threads). */
    static Dispatch get() {
        return CURRENT.get();
    }

    /**
     * Forgets this thread's dispatch (a detach: the thread-local must not keep the integration's
     * classes reachable from a loop thread that outlives it). Call on each loop.
     */
    static void removeFromThisThread() {
        Dispatch d = CURRENT.getIfExists();
        if (d != null && d.threadSweep != null) {
            d.threadSweep.cancel();
            d.threadSweep = null;
        }
        CURRENT.remove();
    }

    /** This thread's dispatch if it has one, without creating one (any thread). */
    static Dispatch ifOpen() {
        if (!(Thread.currentThread() instanceof io.netty.util.concurrent.FastThreadLocalThread)) {
            Dispatch h = HANDED_OFF.get();
            if (h != null) {
                return h;
            }
        }
        Dispatch d = CURRENT.getIfExists();
        return d != null && d.open ? d : null;
    }

    /** Makes {@code d}, a handed-off call's, this (non-loop) thread's dispatch until {@link #leaveHandedOff}. */
    static void enterHandedOff(Dispatch d) {
        HANDED_OFF.set(d);
    }

    /** This thread has no handed-off dispatch any more. */
    static void leaveHandedOff() {
        HANDED_OFF.remove();
    }

    /** Opens for a message of a channel tracked on {@code shard}; returns what it replaced (nested only). */
    Saved open(TaskShard shard, long task, boolean sites) {
        Saved saved = open ? new Saved(this) : null;
        this.open = true;
        this.shard = shard;
        this.task = task;
        this.sites = sites;
        this.complete = false;
        this.continuation = false;
        this.shape = SHAPE_MESSAGE;
        this.code = null;
        this.context = null;
        this.stream = null;
        this.depth = 0;
        this.leaf = null;
        clearFutures();
        return saved;
    }

    /**
     * Within an open dispatch, starts over for one frame of stream task {@code task} (a connection
     * whose streams share its dispatch): no handler returned yet, no futures, {@code context} the
     * codec's.
     */
    void begin(long task, boolean complete, io.netty.channel.ChannelHandlerContext context,
               Http2StreamListener.Stream stream) {
        this.stream = stream;
        this.task = task;
        this.complete = complete;
        this.continuation = false;
        this.shape = SHAPE_STREAM;
        this.code = null;
        this.context = context;
        this.leaf = null;
        clearFutures();
    }

    /** Closes the dispatch, restoring the one it nested in. */
    void close(Saved saved) {
        clearFutures();
        leaf = null;
        code = null;
        depth = 0;
        context = null;
        stream = null;
        if (saved == null) {
            open = false;
            shard = null;
            task = TaskShard.NO_TASK;
        } else {
            saved.restore(this);
        }
    }

    void enter(HandlerPoints p) {
        if (depth < MAX_DEPTH) {
            running[depth] = p;
        }
        depth++;
    }

    void exit() {
        if (depth > 0) {
            depth--;
            if (depth < MAX_DEPTH) {
                running[depth] = null;
            }
        }
    }

    /** The innermost application handler running now, or null. */
    HandlerPoints current() {
        int d = Math.min(depth, MAX_DEPTH);
        return d == 0 ? null : running[d - 1];
    }

    void addFuture(Object future, ProbePoint point) {
        if (futureCount < MAX_FUTURES) {
            futures[futureCount] = future;
            futurePoints[futureCount] = point;
            futureCount++;
        }
    }

    private void clearFutures() {
        thread = null;
        lastMade = null;
        for (int i = 0; i < futureCount; i++) {
            futures[i] = null;
            futurePoints[i] = null;
        }
        futureCount = 0;
    }

    /** The outer dispatch's state while a nested one runs. */
    static final class Saved {
        private final TaskShard shard;
        private final long task;
        private final boolean sites;

        Saved(Dispatch d) {
            shard = d.shard;
            task = d.task;
            sites = d.sites;
        }

        void restore(Dispatch d) {
            d.open = true;
            d.shard = shard;
            d.task = task;
            d.sites = sites;
        }
    }
}
