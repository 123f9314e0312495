package io.routerctl.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.netty.util.Version;
import io.netty.util.concurrent.EventExecutor;
import io.routerctl.probes.LoopWatchdog;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.Ticker;
import io.routerctl.probes.attach.AttachServer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * routerctl in a Netty service: a task registry with one shard per event loop, served over the
 * attach socket, and the handlers that fill it from the service's own pipelines.
 *
 * <p>The library path is one line on the service's bootstrap:
 *
 * <pre>{@code
 * NettyTracking tracking = NettyTracking.builder().name("ticket-service").start();
 * ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
 *         .childHandler(new TicketInitializer());
 * tracking.track(b);           // wraps the child handler: every accepted channel is tracked
 * b.bind(8080).sync();
 * }</pre>
 *
 * <p>The routerctl agent starts one of these itself and calls {@link #install(Channel, boolean)}
 * for every channel that becomes active, and for those open when it attached.
 *
 * <p>What gets recorded: see the package documentation. Each loop's shard is named after its
 * thread and watched by a {@link LoopWatchdog}, so {@code routerctl loops} shows lag and blocked
 * stacks as it does for the sample router.
 *
 * <h2>Thread safety</h2>
 * Safe from any thread. Trackers write their loop's shard on that loop only.
 */
public final class NettyTracking implements AutoCloseable {

    /** The pipeline name of the connection tracker. */
    public static final String CONNECTION_HANDLER = "routerctl-connection";
    /** The pipeline name of an HTTP/2 stream's tracker. */
    public static final String STREAM_HANDLER = "routerctl-stream";
    /** The pipeline name of the HTTP/1.1 request tracker. */
    public static final String HTTP_HANDLER = "routerctl-http";
    /** The pipeline name of a server channel's accept tracker. */
    public static final String ACCEPT_HANDLER = "routerctl-accept";

    private final TaskRegistry registry;
    private final String mode;
    private final AttachServer attachServer;
    private final String attachError;
    private final LoopWatchdog watchdog;
    private final boolean ownsWatchdog;
    private final Map<EventExecutor, TaskShard> shards = new ConcurrentHashMap<>();
    private final Set<ConnectionTracker> trackers = ConcurrentHashMap.newKeySet();
    private final Set<StreamTracker> streams = ConcurrentHashMap.newKeySet();
    private final CodecWatcher codecWatcher;
    private final Function<Channel, OpenRequest> openRequests;
    private final UnaryOperator<BiConsumer<Object, Throwable>> relay;
    private final PipelineObserver observer = new PipelineObserver(this);
    private final AcceptTracker acceptTracker = new AcceptTracker(this);
    private final List<ServerChannel> servers = new ArrayList<>();
    private final boolean handlerSteps;
    private volatile boolean sites;
    private volatile boolean closed;

    private NettyTracking(Builder b) {
        this.registry = b.registry != null ? b.registry : new TaskRegistry();
        this.mode = b.mode;
        this.sites = b.sites;
        this.relay = b.relay;
        this.codecWatcher = b.codecWatcher;
        this.openRequests = b.openRequests;
        if (b.signalWaits != null) {
            ConnectionTracker.signals = b.signalWaits;
        }
        this.handlerSteps = b.handlerSteps;
        this.ownsWatchdog = b.watchdog == null;
        this.watchdog = b.watchdog != null ? b.watchdog
                : new LoopWatchdog(Ticker.system(), LoopWatchdog.defaultInterval(), LoopWatchdog.defaultThreshold());
        AttachServer server = null;
        String error = null;
        if (b.attach) {
            try {
                AttachServer.Builder ab = AttachServer.builder(registry).name(b.name).integration(this::describe);
                if (b.attachDirectory != null) {
                    ab.directory(b.attachDirectory);
                }
                server = ab.start();
            } catch (IOException | RuntimeException e) {
                error = String.valueOf(e.getMessage());
            }
        } else {
            error = "attach server disabled";
        }
        this.attachServer = server;
        this.attachError = error;
    }

    /** A builder: name {@code "java"}, attach server on, deep sites off. */
    public static Builder builder() {
        return new Builder();
    }

    /** The registry every loop writes its shard of. */
    public TaskRegistry registry() {
        return registry;
    }

    /** The attach socket, if the attach server started. */
    public Optional<Path> attachSocket() {
        return attachServer == null ? Optional.empty() : Optional.of(attachServer.socket());
    }

    /** Why the attach server did not start, if it did not. */
    public Optional<String> attachError() {
        return Optional.ofNullable(attachError);
    }

    /** Whether a code site is recorded for every observed future (agent only; costly). */
    public boolean sites() {
        return sites;
    }

    /** Switches deep code sites on or off, from now on. */
    public void sites(boolean on) {
        this.sites = on;
    }

    /**
     * What an observer of the service's code (the calls the routerctl agent inserts) reports to this
     * tracking: channels becoming active, handler calls, futures created.
     */
    public PipelineObserver observer() {
        return observer;
    }

    /** How a continuation on a service's future is wrapped before it is added (see the builder). */
    BiConsumer<Object, Throwable> relay(BiConsumer<Object, Throwable> continuation) {
        return relay.apply(continuation);
    }

    /** Whether the agent reports application handlers' calls (else requests wait "after" a guess). */
    boolean observesHandlers() {
        return handlerSteps;
    }

    /** Event loops seen so far (each has a shard). */
    public int loops() {
        return shards.size();
    }

    /** Channels tracked now. */
    public int channels() {
        return trackers.size();
    }

    /** How routerctl is in this process, for the attach hello. */
    String describe() {
        String netty = nettyVersion();
        return mode + (netty == null ? "" : ", Netty " + netty) + (sites ? ", deep sites on" : "");
    }

    /** The service's Netty version, from {@code netty-common}'s metadata, or null. */
    public static String nettyVersion() {
        try {
            Version v = Version.identify(Channel.class.getClassLoader()).get("netty-common");
            if (v == null) {
                v = Version.identify(Channel.class.getClassLoader()).get("netty-transport");
            }
            return v == null ? null : v.artifactVersion();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Tracks every channel {@code bootstrap} accepts from now on: its child handler is wrapped so
     * that the tracker is first in each pipeline, after the service's own initializer ran. Call
     * after {@code childHandler(...)}, before {@code bind}. Returns {@code bootstrap}.
     */
    public ServerBootstrap track(ServerBootstrap bootstrap) {
        ChannelHandler child = Objects.requireNonNull(bootstrap.config().childHandler(),
                "set the bootstrap's childHandler before tracking it");
        bootstrap.childHandler(new Wrapper(child));
        return bootstrap;
    }

    /** Tracks every channel {@code bootstrap} connects (client side); call after {@code handler(...)}. */
    public Bootstrap track(Bootstrap bootstrap) {
        ChannelHandler handler = Objects.requireNonNull(bootstrap.config().handler(),
                "set the bootstrap's handler before tracking it");
        bootstrap.handler(new Wrapper(handler));
        return bootstrap;
    }

    /** Adds the service's initializer, then the tracker first in the pipeline. */
    @ChannelHandler.Sharable
    private final class Wrapper extends ChannelInitializer<Channel> {
        private final ChannelHandler inner;

        Wrapper(ChannelHandler inner) {
            this.inner = inner;
        }

        @Override
        protected void initChannel(Channel ch) {
            ch.pipeline().addLast(inner);
            install(ch, false);
        }
    }

    /**
     * Tracks {@code channel} if it is not yet: adds a {@link ConnectionTracker} first in its
     * pipeline (and an HTTP request tracker behind its HTTP/1.1 server codec, if it has one). On the
     * channel's loop; from another thread the work is handed to it. {@code openBeforeAttach} marks a
     * channel that was open before routerctl came (its age counts from now).
     */
    public void install(Channel channel, boolean openBeforeAttach) {
        if (closed || channel instanceof ServerChannel || !channel.isOpen()) {
            return;
        }
        if (!channel.isRegistered()) {
            // Not on a loop yet (an accepted or a new client channel): the tracker finds its loop's
            // shard once the channel registers. The pipeline may be changed from any thread until then.
            if (channel.pipeline().get(CONNECTION_HANDLER) == null
                    && (channel.parent() == null || channel.parent() instanceof ServerChannel)) {
                channel.pipeline().addFirst(CONNECTION_HANDLER, new ConnectionTracker(this, openBeforeAttach));
            }
            return;
        }
        EventLoop loop = channel.eventLoop();
        if (!loop.inEventLoop()) {
            loop.execute(() -> install(channel, openBeforeAttach));
            return;
        }
        if (channel.pipeline().get(CONNECTION_HANDLER) != null || channel.pipeline().get(STREAM_HANDLER) != null) {
            return;
        }
        Channel parent = channel.parent();
        if (parent != null && !(parent instanceof ServerChannel)) {
            // A channel inside a connection: an HTTP/2 stream is a request of its connection.
            if (StreamTracker.isStream(channel)
                    && parent.pipeline().get(CONNECTION_HANDLER) instanceof ConnectionTracker connection) {
                channel.pipeline().addFirst(STREAM_HANDLER, new StreamTracker(this, connection));
            }
            return;
        }
        channel.pipeline().addFirst(CONNECTION_HANDLER, new ConnectionTracker(this, openBeforeAttach));
    }

    /**
     * Tracks every channel {@code server} accepts from now on, however it was made: an
     * {@link AcceptTracker} goes first in its pipeline. Any thread.
     */
    public void trackAccepted(ServerChannel server) {
        if (closed || !server.isOpen()) {
            return;
        }
        synchronized (servers) {
            if (server.pipeline().get(ACCEPT_HANDLER) == null) {
                server.pipeline().addFirst(ACCEPT_HANDLER, acceptTracker);
                servers.add(server);
            }
        }
    }

    /**
     * Uses {@code shard} for {@code loop}'s channels, instead of a shard made on first use (a runtime
     * that names and watches its loops' shards itself). Call before the loop's first channel.
     */
    public void adopt(EventExecutor loop, TaskShard shard) {
        shards.put(loop, shard);
    }

    /**
     * The request (or exchange) whose message this thread is dispatching now, for code in the
     * pipeline that records its own steps and waits on it; {@link TaskShard#NO_TASK} outside a
     * tracked dispatch. Use with {@link #currentShard()}.
     */
    public static long currentTask() {
        Dispatch d = Dispatch.ifOpen();
        return d == null ? TaskShard.NO_TASK : d.task;
    }

    /** The shard of {@link #currentTask()}, or null outside a tracked dispatch. */
    public static TaskShard currentShard() {
        Dispatch d = Dispatch.ifOpen();
        return d == null ? null : d.shard;
    }

    /** The connection task of a tracked channel (on its loop), or {@link TaskShard#NO_TASK}. */
    public static long connectionTask(Channel channel) {
        return channel.pipeline().get(CONNECTION_HANDLER) instanceof ConnectionTracker t ? t.connection
                : TaskShard.NO_TASK;
    }

    /**
     * Gives {@code loop} its shard (named after its thread) and its watchdog now, before any channel
     * of it is tracked, so that {@code routerctl loops} shows it. Call on that loop.
     */
    public void watchLoop(EventExecutor loop) {
        shard(loop);
    }

    /** The shard of {@code loop}, made on first use (called on that loop: it is named after its thread). */
    TaskShard shard(EventExecutor loop) {
        TaskShard s = shards.get(loop);
        if (s == null) {
            s = shards.computeIfAbsent(loop, l -> {
                TaskShard shard = registry.newShard(Thread.currentThread().getName());
                watchdog.watch(shard, l);
                return shard;
            });
        }
        return s;
    }

    void added(ConnectionTracker t) {
        trackers.add(t);
        if (closed) {
            t.remove(new CountDownLatch(1)); // stop() ran between the check and the add: undo
        }
    }

    void removed(ConnectionTracker t) {
        trackers.remove(t);
    }

    void added(StreamTracker t) {
        streams.add(t);
    }

    void removed(StreamTracker t) {
        streams.remove(t);
    }

    /**
     * Stops tracking: removes every tracker from its pipeline (their tasks finish) and this
     * tracking's thread-local state from every loop, stops the watchdog (if it made it) and the
     * attach server (if it started one). Waits up to {@code timeout} for the loops to do their part;
     * a blocked loop's channels keep their (inert) trackers until they close. Returns the channels
     * the trackers were removed from.
     */
    public int stop(long timeout, TimeUnit unit) {
        closed = true;
        List<ServerChannel> serverChannels;
        synchronized (servers) {
            serverChannels = new ArrayList<>(servers);
            servers.clear();
        }
        for (ServerChannel server : serverChannels) {
            try {
                if (server.pipeline().context(acceptTracker) != null) {
                    server.pipeline().remove(acceptTracker);
                }
            } catch (RuntimeException e) {
                // Closed meanwhile: nothing to remove.
            }
        }
        if (codecWatcher != null) {
            try {
                codecWatcher.stopped();
            } catch (RuntimeException | LinkageError e) {
                InternalErrors.record("codec watcher", e);
            }
        }
        List<ConnectionTracker> all = new ArrayList<>(trackers);
        List<StreamTracker> allStreams = new ArrayList<>(streams);
        List<EventExecutor> loops = new ArrayList<>(shards.keySet());
        CountDownLatch done = new CountDownLatch(all.size() + allStreams.size() + loops.size());
        for (StreamTracker t : allStreams) {
            t.remove(done);
        }
        for (ConnectionTracker t : all) {
            t.remove(done);
        }
        for (EventExecutor loop : loops) {
            try {
                loop.execute(() -> {
                    try {
                        Dispatch.removeFromThisThread();
                    } finally {
                        done.countDown();
                    }
                });
            } catch (RuntimeException shutDown) {
                done.countDown();
            }
        }
        try {
            done.await(timeout, unit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsWatchdog) {
            watchdog.close();
        }
        if (attachServer != null) {
            attachServer.close();
        }
        int removed = 0;
        for (ConnectionTracker t : all) {
            removed += t.isRemoved() ? 1 : 0;
        }
        return removed;
    }

    /** {@link #stop} with a 2 second wait. */
    @Override
    public void close() {
        stop(2, TimeUnit.SECONDS);
    }

    /** A server codec whose streams are tracked from its frame listener was found on its loop. */
    void codecFound(io.netty.channel.ChannelHandler codec) {
        CodecWatcher w = codecWatcher;
        if (w != null && !closed) {
            try {
                w.found(codec);
            } catch (RuntimeException | LinkageError e) {
                InternalErrors.record("codec watcher", e);
            }
        }
    }

    /** Its connection is no longer tracked (closed, or tracking stops). On its loop. */
    void codecEnded(io.netty.channel.ChannelHandler codec) {
        CodecWatcher w = codecWatcher;
        if (w != null) {
            try {
                w.ended(codec);
            } catch (RuntimeException | LinkageError e) {
                InternalErrors.record("codec watcher", e);
            }
        }
    }

    /**
     * Told of each HTTP/2 server codec without a multiplexer whose streams this tracking makes
     * requests of (a framework's own handler, such as gRPC's), so that a framework part can carry
     * those requests into the framework; and when tracking stops.
     */
    /**
     * Waits that are neither a {@code CompletableFuture} nor a Netty future but signal once (the
     * agent's delegates of Reactor sinks): a request linked to one resumes on its signal, and its
     * loss is provable like a future's.
     */
    public interface SignalWaits {
        /** Whether {@code o} is such a wait. */
        boolean owns(Object o);

        /** Whether it signalled. */
        boolean isDone(Object o);

        /** Calls {@code then} once when it signals (at once if it did). */
        void whenDone(Object o, BiConsumer<Object, Throwable> then);
    }

    public interface CodecWatcher {
        /** A tracked connection's codec, on its loop. */
        void found(io.netty.channel.ChannelHandler codec);

        /** That connection is no longer tracked, on its loop. */
        void ended(io.netty.channel.ChannelHandler codec);

        /** Tracking stops, before the trackers are removed; any thread. */
        void stopped();

        /**
         * A label for a stream of {@code codec} that was open before tracking began (its headers,
         * which name the request, were read before), or {@code null} if the watcher cannot tell.
         * On the connection's loop; must not throw.
         */
        default String openStreamLabel(io.netty.channel.ChannelHandler codec, io.netty.handler.codec.http2.Http2Stream stream) {
            return null;
        }
    }

    /** {@link CodecWatcher#openStreamLabel}, or {@code null}. On the connection's loop. */
    String openStreamLabel(io.netty.channel.ChannelHandler codec, io.netty.handler.codec.http2.Http2Stream stream) {
        CodecWatcher w = codecWatcher;
        if (w == null) {
            return null;
        }
        try {
            return w.openStreamLabel(codec, stream);
        } catch (RuntimeException | LinkageError e) {
            InternalErrors.record("codec watcher", e);
            return null;
        }
    }

    /**
     * An HTTP/1 request a framework holds for a connection, read before tracking began: its method
     * and URI, and when the framework read it ({@code null} if it does not say).
     */
    public record OpenRequest(String method, String uri, Instant readAt) {
    }

    /**
     * What the framework holds for {@code ch}'s request in flight (see {@link Builder#openRequests}),
     * or {@code null}. On its loop.
     */
    OpenRequest openRequest(Channel ch) {
        Function<Channel, OpenRequest> f = openRequests;
        if (f == null) {
            return null;
        }
        try {
            return f.apply(ch);
        } catch (RuntimeException | LinkageError e) {
            InternalErrors.record("open requests", e);
            return null;
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** A builder of {@link NettyTracking}; for one thread. */
    public static final class Builder {
        private String name = "java";
        private boolean attach = true;
        private Path attachDirectory;
        private boolean sites;
        private TaskRegistry registry;
        private String mode = "library";
        private LoopWatchdog watchdog;
        private UnaryOperator<BiConsumer<Object, Throwable>> relay = UnaryOperator.identity();
        private boolean handlerSteps;
        private CodecWatcher codecWatcher;
        private Function<Channel, OpenRequest> openRequests;
        private SignalWaits signalWaits;

        private Builder() {
        }

        /** The service's name, as {@code routerctl list} shows it. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Whether to serve the attach socket (default true). */
        public Builder attach(boolean attach) {
            this.attach = attach;
            return this;
        }

        /** The attach directory, instead of the resolved one. */
        public Builder attachDirectory(Path dir) {
            this.attachDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Deep code sites for observed futures (agent only). */
        public Builder sites(boolean sites) {
            this.sites = sites;
            return this;
        }

        /** The registry to fill, instead of a new one. */
        public Builder registry(TaskRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** A watchdog the caller owns, for the loops whose shards this tracking makes. */
        public Builder watchdog(LoopWatchdog watchdog) {
            this.watchdog = Objects.requireNonNull(watchdog, "watchdog");
            return this;
        }

        /** How routerctl came into the process ({@code library}, the default, or {@code agent}), for the hello. */
        public Builder mode(String mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Wraps each continuation this tracking adds to a service's future (to learn when a waited-on
         * future completes) before it is added: the agent passes a wrapper whose class is not
         * routerctl's, so that futures still pending after a detach do not keep routerctl's classes
         * reachable. A wrapper that is also an {@link java.lang.reflect.InvocationHandler} is used for
         * Netty promises too, through a proxy of Netty's listener interface. Default: none.
         */
        public Builder completionRelay(UnaryOperator<BiConsumer<Object, Throwable>> relay) {
            this.relay = Objects.requireNonNull(relay, "relay");
            return this;
        }

        /**
         * Whether each of the service's inbound handlers gets a step of its own ({@code TicketHandler
         * (ticket)}, {@code ... returned}) from a handler put right before it in the pipeline; a
         * request left waiting then waits "after" the handler that returned last. Default false: a
         * runtime that records its own steps (as the sample router) does not want them. The agent
         * turns them on.
         */
        public Builder handlerSteps(boolean on) {
            this.handlerSteps = on;
            return this;
        }

        /** Who is told of the HTTP/2 server codecs whose streams are tracked (see {@link CodecWatcher}). Default none. */
        public Builder signalWaits(SignalWaits waits) {
            this.signalWaits = waits;
            return this;
        }

        public Builder codecWatcher(CodecWatcher watcher) {
            this.codecWatcher = Objects.requireNonNull(watcher, "watcher");
            return this;
        }

        /**
         * Who can tell, for a connection whose codec had read a request before tracking began, what
         * that request was: the framework that holds it (called on the connection's loop, once, when
         * the connection is first tracked; may return {@code null}; must not block). Without it,
         * or when it cannot tell, such a request reads "read before attach", its age a lower bound.
         */
        public Builder openRequests(Function<Channel, OpenRequest> framework) {
            this.openRequests = Objects.requireNonNull(framework, "framework");
            return this;
        }

        /** Starts the attach server (if asked); a failure to start it is reported by {@link #attachError()}. */
        public NettyTracking start() {
            return new NettyTracking(this);
        }
    }
}
