package io.routerctl.runtime;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.routerctl.netty.NettyTracking;
import io.routerctl.probes.LoopWatchdog;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.Ticker;
import io.routerctl.probes.attach.AttachServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A thread-per-core HTTP/1.1 server whose every connection and request is tracked in a
 * {@link TaskRegistry}, served over the attach socket to {@code routerctl}. It is tracked the way
 * any Netty service can be, through {@code io.routerctl.netty} ({@link NettyTracking}), and adds its
 * own steps and waits to the requests those trackers register.
 *
 * <p>One event loop per core (configurable). On Linux with native epoll, each loop has its own
 * listening socket on the same port ({@code SO_REUSEPORT}) and keeps the connections it accepts,
 * so a connection never changes thread; elsewhere one NIO listener spreads connections over the
 * loops. Each loop owns one registry shard, named {@code loop-0}, {@code loop-1}, ..., and one
 * {@link UpstreamClient}. See {@link RequestContext} for what a request records.
 *
 * <pre>{@code
 * try (RouterRuntime runtime = RouterRuntime.builder()
 *         .port(8080).loops(2).name("my router")
 *         .handler((ctx, request) -> ctx.respond(HttpResponseStatus.OK, "hello\n"))
 *         .start()) {
 *     System.out.println("listening on " + runtime.port() + ", attach " + runtime.attachSocket());
 *     ...
 * }
 * }</pre>
 *
 * <p>Every loop is watched by a {@link LoopWatchdog} (heartbeat interval and blocked threshold from
 * its system properties, {@value LoopWatchdog#INTERVAL_PROPERTY} and
 * {@value LoopWatchdog#BLOCKED_THRESHOLD_PROPERTY}): {@code routerctl loops} shows each loop's lag,
 * busy share and, when blocked, the captured stack; the requests of a blocked loop carry a
 * {@code blocked-loop} warning.
 *
 * <p>{@link #close()} stops the watchdog, the listeners, closes every connection (their tasks finish), shuts the
 * loops down and stops the attach server, which removes its socket.
 *
 * <h2>Configuration</h2>
 * System properties, overridden by the builder: {@value #LOOPS_PROPERTY} (default: available
 * processors), {@value #EPOLL_PROPERTY} (default true; false forces NIO).
 *
 * <h2>Thread safety</h2>
 * The builder is for one thread. A started runtime's accessors are safe from any thread;
 * {@link #close()} from any thread but its own event loops, and it is idempotent.
 */
public final class RouterRuntime implements AutoCloseable {

    /** {@code routerctl.runtime.loops}: event loops (and shards) to run; default the number of cores. */
    public static final String LOOPS_PROPERTY = "routerctl.runtime.loops";
    static final int LOOPS_DEFAULT = Runtime.getRuntime().availableProcessors();
    /** {@code routerctl.runtime.epoll}: use native epoll when available; default true. */
    public static final String EPOLL_PROPERTY = "routerctl.runtime.epoll";
    static final boolean EPOLL_DEFAULT = true;

    private final String host;
    private final int port;
    private final Transport transport;
    private final TaskRegistry registry;
    private final EventLoopGroup group;
    private final List<Channel> listeners;
    private final List<LoopResources> loops;
    private final AttachServer attachServer;
    private final String attachError;
    private final LoopWatchdog watchdog;
    private boolean closed;

    private RouterRuntime(String host, int port, Transport transport, TaskRegistry registry, EventLoopGroup group,
                          List<Channel> listeners, List<LoopResources> loops, AttachServer attachServer,
                          String attachError, LoopWatchdog watchdog) {
        this.host = host;
        this.port = port;
        this.transport = transport;
        this.registry = registry;
        this.group = group;
        this.listeners = listeners;
        this.loops = loops;
        this.attachServer = attachServer;
        this.attachError = attachError;
        this.watchdog = watchdog;
    }

    /** A builder with the defaults: 127.0.0.1, port 8080, loops and transport from the system properties. */
    public static Builder builder() {
        return new Builder();
    }

    /** The address listened on. */
    public String host() {
        return host;
    }

    /** The port listened on (the bound one when 0 was asked for). */
    public int port() {
        return port;
    }

    /** Number of event loops (and shards). */
    public int loopCount() {
        return loops.size();
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return transport.displayName();
    }

    /** The registry every loop writes its shard of. */
    public TaskRegistry registry() {
        return registry;
    }

    /** The event loops, in shard order ({@code loop-0} first). */
    public List<EventLoop> eventLoops() {
        List<EventLoop> out = new ArrayList<>(loops.size());
        for (LoopResources l : loops) {
            out.add(l.eventLoop);
        }
        return out;
    }

    /** The attach socket, if the attach server started (it is optional: see {@link #attachError()}). */
    public Optional<Path> attachSocket() {
        return attachServer == null ? Optional.empty() : Optional.of(attachServer.socket());
    }

    /** Why the attach server did not start, if it did not (or was not asked to). */
    public Optional<String> attachError() {
        return Optional.ofNullable(attachError);
    }

    /**
     * Stops listening, closes all connections (their tasks finish), shuts the loops down and stops
     * the attach server. Waits for all of it, so it must not be called from one of the loops.
     *
     * @throws IllegalStateException when called on one of this runtime's event loops
     */
    @Override
    public synchronized void close() {
        for (LoopResources l : loops) {
            if (l.eventLoop.inEventLoop()) {
                throw new IllegalStateException("RouterRuntime.close() must not run on its own event loop");
            }
        }
        if (closed) {
            return;
        }
        closed = true;
        watchdog.close();
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        for (LoopResources l : loops) {
            l.upstream.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (attachServer != null) {
            attachServer.close();
        }
    }

    /**
     * Configures and starts a {@link RouterRuntime}.
     *
     * <h2>Thread safety</h2>
     * For one thread.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private int loops = Integer.getInteger(LOOPS_PROPERTY, LOOPS_DEFAULT);
        private boolean preferEpoll = Boolean.parseBoolean(
                System.getProperty(EPOLL_PROPERTY, String.valueOf(EPOLL_DEFAULT)));
        private TaskRegistry registry;
        private String name = "routerctl runtime";
        private RequestHandler handler;
        private StepTracer stepTracer = StepTracer.NONE;
        private boolean attach = true;
        private int maxContentLength = 1 << 20;
        private int maxIdleUpstreamPerAddress = 64;
        private Duration heartbeat = LoopWatchdog.defaultInterval();
        private Duration blockedThreshold = LoopWatchdog.defaultThreshold();

        private Builder() {
        }

        /** The address to listen on; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port; 0 for an ephemeral one (see {@link RouterRuntime#port()}). Default 8080. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Event loops to run (1..255); default {@value #LOOPS_PROPERTY} or the number of cores. */
        public Builder loops(int loops) {
            if (loops < 1 || loops > 255) {
                throw new IllegalArgumentException("loops must be 1..255, got " + loops);
            }
            this.loops = loops;
            return this;
        }

        /** Use native epoll when available (default true), or NIO always. */
        public Builder preferEpoll(boolean preferEpoll) {
            this.preferEpoll = preferEpoll;
            return this;
        }

        /** The registry to write into; default a new {@link TaskRegistry#TaskRegistry()}. */
        public Builder registry(TaskRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** The name the attach server announces, e.g. {@code routerctl sample router}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** The application (required). */
        public Builder handler(RequestHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** An extra observer of every recorded point; default {@link StepTracer#NONE}. */
        public Builder stepTracer(StepTracer stepTracer) {
            this.stepTracer = Objects.requireNonNull(stepTracer, "stepTracer");
            return this;
        }

        /** Whether to start the attach server (default true); tests of the runtime alone may skip it. */
        public Builder attach(boolean attach) {
            this.attach = attach;
            return this;
        }

        /** The largest request body accepted (default 1 MiB). */
        public Builder maxContentLength(int bytes) {
            this.maxContentLength = bytes;
            return this;
        }

        /** Idle keep-alive upstream connections kept per loop and address (default 64). */
        public Builder maxIdleUpstreamPerAddress(int connections) {
            this.maxIdleUpstreamPerAddress = connections;
            return this;
        }

        /**
         * The loop watchdog's heartbeat interval and blocked threshold; defaults from
         * {@value LoopWatchdog#INTERVAL_PROPERTY} (100 ms) and
         * {@value LoopWatchdog#BLOCKED_THRESHOLD_PROPERTY} (2000 ms).
         */
        public Builder loopWatchdog(Duration heartbeat, Duration blockedThreshold) {
            if (heartbeat.isNegative() || heartbeat.isZero() || blockedThreshold.compareTo(heartbeat) < 0) {
                throw new IllegalArgumentException("need 0 < heartbeat <= blocked threshold, got "
                        + heartbeat + " and " + blockedThreshold);
            }
            this.heartbeat = heartbeat;
            this.blockedThreshold = blockedThreshold;
            return this;
        }

        /**
         * Binds and starts serving. If the attach server cannot start, prints one warning line to
         * stderr and runs without it.
         *
         * @throws IOException if the port cannot be bound
         */
        public RouterRuntime start() throws IOException {
            Objects.requireNonNull(handler, "handler");
            TaskRegistry reg = registry != null ? registry : new TaskRegistry();
            Transport transport = Transport.select(preferEpoll);
            MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(loops,
                    new DefaultThreadFactory("routerctl-loop", true), transport.ioHandlerFactory());
            LoopWatchdog watchdog = new LoopWatchdog(Ticker.system(), heartbeat, blockedThreshold);
            // The router is tracked the way any Netty service is, through io.routerctl.netty; it keeps
            // its own shard names (loop-0, ...), watchdog thresholds and attach server.
            NettyTracking tracking = NettyTracking.builder().name(name).registry(reg).attach(false)
                    .watchdog(watchdog).start();
            List<LoopResources> resources = new ArrayList<>(loops);
            Map<EventLoop, LoopResources> byLoop = new IdentityHashMap<>();
            int index = 0;
            for (EventExecutor executor : group) {
                EventLoop loop = (EventLoop) executor;
                LoopResources r = new LoopResources(index, loop, reg.newShard("loop-" + index), stepTracer, handler,
                        new UpstreamClient(loop, transport.clientChannel(), maxIdleUpstreamPerAddress),
                        maxContentLength, tracking);
                resources.add(r);
                byLoop.put(loop, r);
                index++;
            }
            List<Channel> listeners = new ArrayList<>();
            int boundPort = port;
            try {
                if (transport.listensPerLoop()) {
                    for (LoopResources r : resources) {
                        Channel ch = serverBootstrap(transport, r.eventLoop, r.eventLoop, ch2 -> r)
                                .option(EpollChannelOption.SO_REUSEPORT, true)
                                .bind(host, boundPort).sync().channel();
                        listeners.add(ch);
                        boundPort = ((InetSocketAddress) ch.localAddress()).getPort();
                    }
                } else {
                    Channel ch = serverBootstrap(transport, resources.get(0).eventLoop, group,
                            ch2 -> byLoop.get(ch2.eventLoop()))
                            .bind(host, boundPort).sync().channel();
                    listeners.add(ch);
                    boundPort = ((InetSocketAddress) ch.localAddress()).getPort();
                }
            } catch (Exception e) {
                for (Channel ch : listeners) {
                    ch.close();
                }
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                watchdog.close();
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
            }
            for (LoopResources r : resources) {
                watchdog.watch(r.shard, r.eventLoop);
            }
            AttachServer attachServer = null;
            String attachError = null;
            if (attach) {
                try {
                    attachServer = AttachServer.start(reg, name);
                } catch (IOException | RuntimeException e) {
                    attachError = String.valueOf(e.getMessage());
                    System.err.println("routerctl runtime: attach server not started: " + attachError);
                }
            } else {
                attachError = "attach server disabled";
            }
            return new RouterRuntime(host, boundPort, transport, reg, group, List.copyOf(listeners),
                    List.copyOf(resources), attachServer, attachError, watchdog);
        }

        private ServerBootstrap serverBootstrap(Transport transport, EventLoopGroup parent, EventLoopGroup children,
                                                java.util.function.Function<Channel, LoopResources> loopOf) {
            io.netty.channel.ChannelFactory<io.netty.channel.ServerChannel> channels;
            try {
                channels = transport.serverChannelFactory(host);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("unknown host: " + host, e);
            }
            return new ServerBootstrap()
                    .group(parent, children)
                    .channelFactory(channels)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ServerConnection.install(ch, loopOf.apply(ch));
                        }
                    });
        }
    }
}
