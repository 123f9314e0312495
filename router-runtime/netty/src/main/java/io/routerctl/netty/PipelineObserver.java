package io.routerctl.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskShard;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an observer of a service's code tells the Netty integration, beyond what its trackers see in
 * the pipelines: a server or client channel was made, a future was created. The routerctl agent
 * calls these from the calls it inserts: new channels are tracked, and the futures created while a request
 * is dispatched are remembered; the request then waits on the one left incomplete (and its loss is
 * provable).
 *
 * <pre>{@code
 * PipelineObserver o = tracking.observer();
 * o.serverChannelCreated(server);   // any thread
 * o.futureCreated(future);          // any thread; ignored outside a tracked dispatch
 * }</pre>
 *
 * <h2>Allocation and threads</h2>
 * Channels: one tracker each. {@link #futureCreated}: on any thread; outside a
 * tracked dispatch one thread-local lookup and nothing else; inside one, nothing allocated once
 * the handler's future sites are learned (a stack walk for each of its first few futures, see
 * {@link LearnedSite}); with deep sites a stack walk and its site string per future (the reason
 * they are off by default). {@link #sinkManyMade}, inside a tracked dispatch: a stack walk of a
 * few frames (about 1.3 us) and the sink's delegate. Never throws for a foreign object: it is
 * ignored.
 */
public final class PipelineObserver {

    private static final Set<String> SKIPPED_PREFIXES = Set.of("java.", "jdk.", "sun.", "io.netty.",
            "io.routerctl.netty.", "io.routerctl.probes.", "io.routerctl.agent.", "kotlin.", "scala.",
            // the frameworks: a site is where the application's own code made the future
            "reactor.", "io.grpc.", "io.vertx.", "org.springframework.", "com.google.common.", "io.perfmark.");
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final ConcurrentHashMap<String, ProbePoint> SITES = new ConcurrentHashMap<>();
    private static final int MAX_SITES = 4096;

    private final NettyTracking tracking;

    PipelineObserver(NettyTracking tracking) {
        this.tracking = tracking;
    }

    /** A server channel was made: every channel it accepts is tracked. Any thread. */
    public void serverChannelCreated(ServerChannel server) {
        tracking.trackAccepted(server);
    }

    /** A client channel was made (before it connects): it is tracked. Any thread. */
    public void clientChannelCreated(Channel channel) {
        tracking.install(channel, false);
    }

    /**
     * A {@code CompletableFuture} or Netty promise was created: if it was created while a tracked
     * request is dispatched on this thread, the request may wait on it. Channel futures are not
     * (they are writes and connects). Returns whether this integration took note.
     */
    public boolean futureCreated(Object future) {
        if (future instanceof ChannelFuture) {
            return false;
        }
        Dispatch d = Dispatch.ifOpen();
        if (d == null || d.task == TaskShard.NO_TASK) {
            return d != null;
        }
        d.lastMade = future;
        if (d.futureCount < Dispatch.MAX_FUTURES) {
            d.addFuture(future, learnedSite(d, future));
        }
        return true;
    }

    /**
     * A virtual thread was made (an executor or the JDK's builder starts it at once): if a tracked
     * request is being dispatched on this loop, the thread does the request's work and becomes its
     * child (a task of kind {@code thread}, see {@link TaskShard#registerThread}), and the request,
     * once handled, waits on it ({@code thread from BarsHandler (bars)}) unless it waits on a
     * future. Threads made by a framework's thread for a handed-off call are not followed, nor are
     * platform threads (a pool's worker serves every request). Returns whether this integration
     * took note.
     */
    public boolean threadCreated(Thread thread) {
        Dispatch d = Dispatch.ifOpen();
        if (d == null || d.task == TaskShard.NO_TASK || tracking.isClosed()) {
            return d != null;
        }
        EventExecutor loop = ThreadExecutorMap.currentExecutor(); // null on a framework's thread (a handed-off call)
        if (loop == null || !loop.inEventLoop() || thread == null) {
            return true;
        }
        if (d.shard.registerThread(d.task, thread) == TaskShard.NO_TASK) {
            return true;
        }
        if (d.thread == null) {
            HandlerPoints p = d.current();
            if (p == null) {
                p = d.leaf;
            }
            d.thread = p != null ? p.thread : ConnectionTracker.THREAD;
        }
        ThreadSweep sweep = d.threadSweep;
        if (sweep == null || !sweep.sweeps(d.shard)) {
            if (sweep != null) {
                sweep.cancel();
            }
            sweep = new ThreadSweep(loop, d.shard);
            d.threadSweep = sweep;
        }
        sweep.armed();
        return true;
    }

    /**
     * A step of the request being dispatched on this thread, seen by an observer of the service's
     * code rather than in the pipeline: a framework entering the application's code ({@code what}:
     * a controller, a route, a filter), named by {@code name} only when a tracked request is being
     * dispatched here. Returns whether one was (this integration's: nothing else should record
     * it). One thread-local lookup; futures made after it learn their sites per step ({@link StepSites}).
     */
    public boolean step(Object what, java.util.function.Function<Object, ProbePoint> name) {
        Dispatch d = Dispatch.ifOpen();
        if (d == null || d.task == TaskShard.NO_TASK) {
            return false;
        }
        ProbePoint point = name.apply(what);
        if (point != null) {
            d.shard.step(d.task, point);
            d.code = StepSites.of(point);
            d.codeBase = d.futureCount;
        }
        return true;
    }

    /**
     * {@code s} as a probe point's name may hold it: at most {@code max} characters, control
     * characters as {@code ?}, never empty. For an observer naming steps of its own.
     */
    public static String printable(String s, int max) {
        return HandlerPoints.clip(s, max);
    }

    /** {@code CompletableFuture from AuthAdapter.check(AuthAdapter.java:42)}: the first application frame. */
    static ProbePoint site(Object future) {
        StackWalker.StackFrame frame = WALKER.walk(s -> s.filter(f -> !skipped(f.getClassName())).findFirst())
                .orElse(null);
        if (frame == null) {
            return ConnectionTracker.FUTURE;
        }
        String cls = frame.getClassName();
        String name = waitName(future) + " from "
                + cls.substring(cls.lastIndexOf('.') + 1) + "." + frame.getMethodName()
                + "(" + frame.getFileName() + ":" + frame.getLineNumber() + ")";
        if (name.length() > 120) {
            name = name.substring(0, 120);
        }
        if (UNPROVABLE.contains(future.getClass().getName())) {
            // Its sink stays reachable from its subscriber (the response) while the request is
            // open, so no GC can show the dropped callback: said in the wait's name, as gRPC's observer.
            name += ", unprovable";
        }
        ProbePoint p = SITES.get(name);
        if (p == null) {
            if (SITES.size() >= MAX_SITES) {
                return ConnectionTracker.FUTURE;
            }
            p = SITES.computeIfAbsent(name, k -> ProbePoint.observed(k, ProbePoint.Kind.AWAIT, cls));
        }
        return p;
    }

    /**
     * Reactor's publishers that a request may wait on, by the class their API makes
     * ({@code Mono.create}, {@code Sinks.one()}), and the name the application wrote. Matched by
     * name: the integration never links against Reactor.
     */
    private static final Set<String> PUBLISHERS = Set.of("reactor.core.publisher.MonoCreate",
            "reactor.core.publisher.FluxCreate", "reactor.core.publisher.SinkOneMulticast");
    /** A framework's waits by the class its API makes, and the name the application wrote. */
    private static final java.util.Map<String, String> WAIT_NAMES = java.util.Map.ofEntries(
            java.util.Map.entry("reactor.core.publisher.MonoCreate", "Mono.create"),
            java.util.Map.entry("reactor.core.publisher.FluxCreate", "Flux.create"),
            java.util.Map.entry("reactor.core.publisher.SinkOneMulticast", "Sinks.one"),
            java.util.Map.entry("reactor.core.publisher.SinkManySerialized", "Sinks.many"),
            java.util.Map.entry("io.vertx.core.impl.future.PromiseImpl", "Promise"),
            java.util.Map.entry("io.vertx.core.impl.future.Composition", "Future.compose"),
            java.util.Map.entry("io.vertx.core.impl.future.Mapping", "Future.map"),
            java.util.Map.entry("io.vertx.core.impl.future.FixedMapping", "Future.map"),
            java.util.Map.entry("io.vertx.core.impl.future.Transformation", "Future.transform"),
            java.util.Map.entry("io.vertx.core.impl.future.Eventually", "Future.eventually"),
            java.util.Map.entry("io.vertx.core.impl.future.Otherwise", "Future.otherwise"),
            java.util.Map.entry("io.vertx.core.impl.future.FixedOtherwise", "Future.otherwise"),
            java.util.Map.entry("io.vertx.core.impl.future.Expect", "Future.expect"),
            java.util.Map.entry("io.vertx.core.impl.future.CompositeFutureImpl", "CompositeFuture"));

    /**
     * Publishers whose loss no GC can show: the application holds the same sink as the response's
     * subscriber. A {@code Mono.create}'s (and a {@code Flux.create}'s) is provable where the agent hands the application a
     * delegate of its sink ({@link #publisherSite}, {@link #sinkSubscribed}).
     */
    private static final Set<String> UNPROVABLE = Set.of("reactor.core.publisher.SinkOneMulticast");

    /**
     * A publisher ({@code Mono.create}) is being made on this thread: if a tracked request is being
     * dispatched here, where in the application's code (its learned site, a probe point), for
     * {@link #sinkSubscribed}; else null. Any thread.
     */
    public Object publisherSite(Object publisher) {
        Dispatch d = Dispatch.ifOpen();
        if (d == null || d.task == TaskShard.NO_TASK) {
            return null;
        }
        return learnedSite(d, publisher);
    }

    /**
     * Where a future made now in dispatch {@code d} waits: its code site (a stack walk with deep
     * sites; else learned, by the last step an observer reported in this dispatch if any, else by
     * the handler running).
     */
    private static ProbePoint learnedSite(Dispatch d, Object future) {
        if (d.sites) {
            return site(future);
        }
        if (d.code != null) {
            return d.code.site(d.shape, d.futureCount - d.codeBase, future);
        }
        HandlerPoints p = d.current();
        if (p == null) {
            p = d.leaf;
        }
        return p != null ? p.site(d.shape, d.futureCount, future) : ConnectionTracker.FUTURE;
    }

    /**
     * A delegate of a publisher's sink is about to be handed to the application's callback: if a
     * tracked request is being dispatched on this thread (the publisher is subscribed within it),
     * the request may wait on the delegate, at {@code site} (from {@link #publisherSite}); the
     * delegate must then be a future {@link NettyTracking.SignalWaits} owns. Returns whether the
     * request took it (if not, the application should get the sink itself).
     */
    public boolean sinkSubscribed(Object delegate, Object site) {
        Dispatch d = Dispatch.ifOpen();
        if (d == null || d.task == TaskShard.NO_TASK || d.futureCount >= Dispatch.MAX_FUTURES
                || !(site instanceof ProbePoint point) || tracking.isClosed()) {
            return false;
        }
        d.addFuture(delegate, point);
        return true;
    }

    /**
     * {@code Sinks.one()} is returning {@code sink}, whose publisher (a {@code SinkOneMulticast})
     * was just made: if that publisher is a wait of the request being dispatched here, the request
     * waits instead on {@code delegateOf.apply(sink)}, which the application gets in place of the
     * sink, at the same site, now provable (the publisher stays reachable from the response's
     * subscriber; the delegate only from the application's code, so it is collected exactly when
     * the application drops what would have signalled). Returns the delegate, or null when the
     * request does not wait on this publisher (then nothing is made). Any thread.
     */
    public Object sinkMade(Object sink, java.util.function.Function<Object, Object> delegateOf) {
        Dispatch d = Dispatch.ifOpen();
        if (d == null || d.task == TaskShard.NO_TASK || d.futureCount == 0 || tracking.isClosed()) {
            return null;
        }
        int last = d.futureCount - 1;
        Object made = d.futures[last];
        if (made == null || made != d.lastMade || !UNPROVABLE.contains(made.getClass().getName())) {
            return null;
        }
        Object delegate = delegateOf.apply(sink);
        if (delegate != null) {
            d.futures[last] = delegate;
            d.futurePoints[last] = provable(d.futurePoints[last]);
        }
        return delegate;
    }

    /**
     * One of Reactor's {@code Sinks.many()} specs is returning {@code sink}: if a tracked request
     * is being dispatched here, the request waits (until the sink completes or fails) on
     * {@code delegateOf.apply(sink)}, which the application gets in place of the sink, at the
     * application's site ({@code Sinks.many from ...}). Provable as a {@code Sinks.one()}'s delegate
     * is: the response subscribes to the publisher behind the sink ({@code asFlux()}), so only the
     * application's code holds the delegate. Only a sink the application asked for: Reactor's own
     * operators make many-sinks too ({@code retryWhen}, {@code repeatWhen}, windows), which they
     * complete or drop as they please; one stack walk, a few frames deep, tells them apart.
     * Returns the delegate, or null when no request is dispatched here or a framework asked (then
     * nothing is made). Any thread.
     */
    public Object sinkManyMade(Object sink, java.util.function.Function<Object, Object> delegateOf) {
        Dispatch d = Dispatch.ifOpen();
        if (d == null || d.task == TaskShard.NO_TASK || d.futureCount >= Dispatch.MAX_FUTURES || tracking.isClosed()
                || !askedByApplication()) {
            return null;
        }
        ProbePoint site = learnedSite(d, sink);
        Object delegate = delegateOf.apply(sink);
        if (delegate != null) {
            d.lastMade = delegate;
            d.addFuture(delegate, site);
        }
        return delegate;
    }

    /**
     * Whether the code that asked Reactor's {@code Sinks} for a sink is the application's: the
     * first frame outside routerctl and {@code Sinks}' own classes is not a framework's.
     */
    private static boolean askedByApplication() {
        return WALKER.walk(s -> s.map(StackWalker.StackFrame::getClassName)
                .filter(c -> !c.startsWith("io.routerctl.") && !c.startsWith("reactor.core.publisher.Sinks"))
                .findFirst()
                .map(c -> !skipped(c))
                .orElse(false));
    }

    /** The site {@code p} names without its {@code , unprovable}, if it says so. */
    private static ProbePoint provable(ProbePoint p) {
        String suffix = ", unprovable";
        if (p == null || !p.name().endsWith(suffix)) {
            return p;
        }
        String name = p.name().substring(0, p.name().length() - suffix.length());
        ProbePoint q = SITES.get(name);
        if (q == null) {
            if (SITES.size() >= MAX_SITES) {
                return p;
            }
            q = SITES.computeIfAbsent(name, k -> ProbePoint.observed(k, ProbePoint.Kind.AWAIT, p.location()));
        }
        return q;
    }

    /** Whether {@code o} is one of Reactor's publishers a request may wait on (see {@link #PUBLISHERS}). */
    public static boolean isPublisher(Object o) {
        return o != null && PUBLISHERS.contains(o.getClass().getName());
    }

    /** What a wait on {@code future} is called: {@code Mono.create} for a publisher, else its class's simple name. */
    static String waitName(Object future) {
        String api = WAIT_NAMES.get(future.getClass().getName());
        return api != null ? api : HandlerPoints.simpleName(future.getClass());
    }

    private static boolean skipped(String className) {
        for (String prefix : SKIPPED_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
