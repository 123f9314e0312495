package io.routerctl.netty.hooks;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Where the routerctl agent's advices call in: one static method per observed event, each a no-op
 * until a {@link Listener} is set, each catching and counting its listener's failures so that the
 * instrumented code (Netty's pipeline, {@code CompletableFuture}'s constructor) never sees one.
 *
 * <p>The agent puts this class on the bootstrap class path, so that advices inlined into any class
 * (including {@code java.util.concurrent.CompletableFuture}) reach the same one; it may refer to
 * nothing but {@code java.base}. The listener lives in the class loader that sees the service's
 * Netty.
 *
 * <h2>Hot path</h2>
 * Every method: one volatile read, then the listener's call. Allocates nothing. Called by whichever
 * thread runs the instrumented code; the listener decides what to do on which thread.
 */
public final class Hooks {

    /** What the agent's Netty integration does on each event. Implementations must not throw often. */
    public interface Listener {
        /** A channel became active; {@code pipeline} is its {@code ChannelPipeline}. */
        void channelActive(Object pipeline);

        /** A handler's {@code channelRead} is about to run; {@code ctx} is its {@code ChannelHandlerContext}. */
        void readEnter(Object ctx);

        /** The handler of {@code ctx} returned from {@code channelRead}, or threw {@code thrown}. */
        void readExit(Object ctx, Throwable thrown);

        /** A {@code CompletableFuture} or Netty {@code DefaultPromise} was just constructed. */
        void futureCreated(Object future);

        /** A call above threw {@code t}; counted already. Must not throw. */
        void failed(Throwable t);
    }

    private static volatile Listener listener;
    private static volatile Function<Object, Listener> starter;
    private static final AtomicLong FAILURES = new AtomicLong();

    private Hooks() {
    }

    /** Sets (or with {@code null} removes) the listener; any thread. */
    public static void listener(Listener l) {
        listener = l;
    }

    /** The current listener, or null. */
    public static Listener listener() {
        return listener;
    }

    /**
     * For an agent loaded before Netty: makes the listener on the first channel that becomes
     * active, from its pipeline (whose class loader sees the service's Netty). {@code null} removes it.
     */
    public static void starter(Function<Object, Listener> s) {
        starter = s;
    }

    /** Failures caught in listener calls since the JVM started. */
    public static long failures() {
        return FAILURES.get();
    }

    public static void channelActive(Object pipeline) {
        Listener l = listener;
        if (l == null) {
            l = start(pipeline);
            if (l == null) {
                return;
            }
        }
        try {
            l.channelActive(pipeline);
        } catch (Throwable t) {
            failed(l, t);
        }
    }

    public static void readEnter(Object ctx) {
        Listener l = listener;
        if (l != null) {
            try {
                l.readEnter(ctx);
            } catch (Throwable t) {
                failed(l, t);
            }
        }
    }

    public static void readExit(Object ctx, Throwable thrown) {
        Listener l = listener;
        if (l != null) {
            try {
                l.readExit(ctx, thrown);
            } catch (Throwable t) {
                failed(l, t);
            }
        }
    }

    public static void futureCreated(Object future) {
        Listener l = listener;
        if (l != null) {
            try {
                l.futureCreated(future);
            } catch (Throwable t) {
                failed(l, t);
            }
        }
    }

    private static synchronized Listener start(Object pipeline) {
        Function<Object, Listener> s = starter;
        if (s == null) {
            return listener;
        }
        starter = null;
        try {
            Listener l = s.apply(pipeline);
            listener = l;
            return l;
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
            return null;
        }
    }

    private static void failed(Listener l, Throwable t) {
        FAILURES.incrementAndGet();
        try {
            l.failed(t);
        } catch (Throwable ignored) {
            // Counted; the instrumented code goes on.
        }
    }
}
