package io.routerctl.samples.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.routerctl.runtime.Transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * An open-loop HTTP load generator: sends {@code GET /api/items/<n>} with a random one of a few
 * bearer tokens at a fixed mean rate (Poisson arrivals, as from independent clients; or evenly
 * spaced), whatever the server does, over a pool of keep-alive connections that grows whenever no idle
 * connection is free (hung requests keep theirs busy). Ticks that fall more than 250 ms behind
 * schedule (a starved machine) are skipped and counted, not sent as a burst. A request not
 * answered within the timeout
 * (default 30 s) is given up by closing its connection, so hung requests leave the server
 * eventually.
 *
 * <pre>{@code
 * try (LoadGenerator load = LoadGenerator.to("127.0.0.1", port).rate(300).maxRequests(3000)
 *         .record(true).start()) {
 *     load.awaitDone(Duration.ofSeconds(60));
 *     for (RequestRecord r : load.records()) { ... r.localAddress(), r.answered() ... }
 * }
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * The builder is for one thread. A started generator runs on its own one-thread event loop, which
 * alone writes its state; {@link #report()}, {@link #records()}, {@link #awaitDone} and
 * {@link #close()} are safe from any thread.
 */
public final class LoadGenerator implements AutoCloseable {

    private final Builder config;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final ArrayDeque<ClientConnection> idle = new ArrayDeque<>();
    private final List<RequestRecord> records = new ArrayList<>();
    private final java.util.Set<Channel> open = new java.util.HashSet<>();
    private final CountDownLatch done = new CountDownLatch(1);
    /** Ticks later than this are skipped instead of sent in a catch-up burst. */
    private static final long MAX_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private ScheduledFuture<?> ticker;
    private long startedAt;
    private double meanGap;
    private long nextAt;
    private boolean stopped;

    // single writer (the loop), read by anyone
    private volatile long sent;
    private volatile long ok;
    private volatile long otherStatus;
    private volatile long timedOut;
    private volatile long failed;
    private volatile long skipped;
    private volatile int connections;
    private volatile long opened;

    private LoadGenerator(Builder config) {
        this.config = config;
        Transport transport = Transport.select(true);
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("routerctl-load", true),
                transport.ioHandlerFactory());
        this.loop = group.next();
        this.bootstrap = new Bootstrap().group(loop).channel(transport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000);
    }

    /** A builder aimed at {@code host:port}. */
    public static Builder to(String host, int port) {
        return new Builder(host, port);
    }

    /** Counters now. */
    public LoadReport report() {
        long s = sent;
        long ended = ok + otherStatus + timedOut + failed;
        return new LoadReport(s, ok, otherStatus, timedOut, failed, Math.max(0, s - ended), connections, opened, skipped);
    }

    /** Every request sent so far, in order, if recording was asked for (else empty). */
    public List<RequestRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /**
     * Waits until sending has stopped (the request or time budget is spent) and every request sent
     * has ended (answered, timed out or failed). Returns false if {@code timeout} passed first.
     */
    public boolean awaitDone(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Stops sending now; requests in flight still end as they will. */
    public void stopSending() {
        loop.execute(this::stopTicker);
    }

    /** Stops and closes every connection. */
    @Override
    public void close() {
        if (!loop.isShuttingDown()) {
            CountDownLatch closed = new CountDownLatch(1);
            loop.execute(() -> {
                stopTicker();
                io.netty.util.concurrent.PromiseCombiner all = new io.netty.util.concurrent.PromiseCombiner(loop);
                for (Channel ch : new ArrayList<>(open)) {
                    all.add(ch.close());
                }
                io.netty.util.concurrent.Promise<Void> done = loop.newPromise();
                done.addListener(f -> closed.countDown());
                all.finish(done);
            });
            try {
                closed.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void begin() {
        startedAt = System.nanoTime();
        meanGap = 1e9 / config.rate;
        nextAt = startedAt;
        // A pump every millisecond (or every mean gap, if longer) sends whatever is due by now, so
        // the rate holds however the timer drifts.
        long pump = Math.max(Math.min(Math.round(meanGap), 1_000_000L), 100_000L);
        ticker = loop.scheduleAtFixedRate(this::pump, 0, pump, TimeUnit.NANOSECONDS);
    }

    private void pump() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        if (config.duration != null && now - startedAt >= config.duration.toNanos()) {
            stopTicker();
            return;
        }
        while (now - nextAt >= MAX_LAG_NANOS) {
            // Far behind schedule (the machine is starved): drop what is overdue rather than burst.
            skipped++;
            nextAt += nextGap();
        }
        while (nextAt <= now && !stopped) {
            if (config.maxRequests > 0 && sent >= config.maxRequests) {
                stopTicker();
                return;
            }
            sendOne();
            nextAt += nextGap();
        }
    }

    /** Gap to the next arrival: exponential (Poisson arrivals), or fixed with {@code --uniform}. */
    private long nextGap() {
        if (!config.poisson) {
            return Math.round(meanGap);
        }
        double u = ThreadLocalRandom.current().nextDouble();
        return Math.max(1, Math.round(-Math.log(1.0 - u) * meanGap));
    }

    private void sendOne() {
        ClientConnection connection = idle.pollLast();
        while (connection != null && !connection.channel.isActive()) {
            connection = idle.pollLast();
        }
        if (connection == null && connections >= config.maxConnections) {
            skipped++; // no connection to send on
            return;
        }
        long seq = sent;
        String path = "/api/items/" + seq;
        RequestRecord record = new RequestRecord(seq, path, System.nanoTime());
        if (config.record) {
            synchronized (records) {
                records.add(record);
            }
        }
        sent = seq + 1;
        if (connection != null) {
            connection.send(record);
        } else {
            connections++;
            opened++;
            new ClientConnection().connect(record);
        }
    }

    private void stopTicker() {
        if (!stopped) {
            stopped = true;
            if (ticker != null) {
                ticker.cancel(false);
            }
        }
        checkDone();
    }

    private void checkDone() {
        if (stopped && report().inFlight() == 0) {
            done.countDown();
        }
    }

    private void ended(RequestRecord record, RequestRecord.Outcome outcome, int status) {
        record.end(outcome, status);
        switch (outcome) {
            case ANSWERED -> {
                if (status >= 200 && status < 300) {
                    ok++;
                } else {
                    otherStatus++;
                }
            }
            case TIMED_OUT -> timedOut++;
            default -> failed++;
        }
        checkDone();
    }

    private FullHttpRequest newRequest(RequestRecord record) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, record.path(),
                Unpooled.EMPTY_BUFFER);
        request.headers().set(HttpHeaderNames.HOST, config.host + ":" + config.port);
        request.headers().set(HttpHeaderNames.AUTHORIZATION,
                "Bearer " + config.tokenPrefix + ThreadLocalRandom.current().nextInt(config.tokens));
        HttpUtil.setContentLength(request, 0);
        return request;
    }

    /** One keep-alive connection; confined to the generator's loop. */
    private final class ClientConnection extends ChannelInboundHandlerAdapter {
        Channel channel;
        String local;
        RequestRecord current;
        ScheduledFuture<?> timeout;

        void connect(RequestRecord first) {
            current = first;
            bootstrap.clone().handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                            ClientConnection.this);
                }
            }).connect(config.host, config.port).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    connections--;
                    RequestRecord r = current;
                    current = null;
                    ended(r, RequestRecord.Outcome.FAILED, 0);
                    return;
                }
                channel = f.channel();
                open.add(channel);
                InetSocketAddress a = (InetSocketAddress) channel.localAddress();
                local = a.getAddress().getHostAddress() + ":" + a.getPort();
                RequestRecord r = current;
                current = null;
                send(r);
            });
        }

        void send(RequestRecord record) {
            current = record;
            record.connectedFrom(local);
            timeout = loop.schedule(() -> {
                if (current == record) {
                    current = null;
                    ended(record, RequestRecord.Outcome.TIMED_OUT, 0);
                    channel.close();
                }
            }, config.timeout.toNanos(), TimeUnit.NANOSECONDS);
            channel.writeAndFlush(newRequest(record));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof FullHttpResponse response && current != null) {
                    RequestRecord r = current;
                    current = null;
                    timeout.cancel(false);
                    ended(r, RequestRecord.Outcome.ANSWERED, response.status().code());
                    if (HttpUtil.isKeepAlive(response) && !stopped) {
                        idle.addLast(this);
                    } else {
                        ctx.close();
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            connections--;
            open.remove(ctx.channel());
            idle.remove(this);
            RequestRecord r = current;
            current = null;
            if (r != null) {
                if (timeout != null) {
                    timeout.cancel(false);
                }
                ended(r, RequestRecord.Outcome.FAILED, 0);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Configures a {@link LoadGenerator}.
     *
     * <h2>Thread safety</h2>
     * For one thread.
     */
    public static final class Builder {
        private final String host;
        private final int port;
        private double rate = 300;
        private long maxRequests;
        private Duration duration;
        private Duration timeout = Duration.ofSeconds(30);
        private int tokens = 2;
        private String tokenPrefix = "tok-";
        private boolean record;
        private boolean poisson = true;
        private int maxConnections = 10_000;

        private Builder(String host, int port) {
            this.host = Objects.requireNonNull(host);
            this.port = port;
        }

        /** Requests per second (open loop); default 300. */
        public Builder rate(double perSecond) {
            if (!(perSecond > 0 && perSecond <= 100_000)) {
                throw new IllegalArgumentException("rate must be in (0, 100000], got " + perSecond);
            }
            this.rate = perSecond;
            return this;
        }

        /** Stop after this many requests (0: no limit, the default). */
        public Builder maxRequests(long n) {
            this.maxRequests = n;
            return this;
        }

        /** Stop sending after this long (null: no limit, the default). */
        public Builder duration(Duration d) {
            this.duration = d;
            return this;
        }

        /** Give up a request after this long by closing its connection; default 30 s. */
        public Builder timeout(Duration t) {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.timeout = t;
            return this;
        }

        /** Distinct bearer tokens, each request picking one at random ({@code tok-0}, {@code tok-1}, ...); default 2. */
        public Builder tokens(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("tokens must be >= 1");
            }
            this.tokens = n;
            return this;
        }

        /** Prefix of the bearer tokens; default {@code tok-} ({@code deny-} gets 403s). */
        public Builder tokenPrefix(String prefix) {
            this.tokenPrefix = Objects.requireNonNull(prefix);
            return this;
        }

        /**
         * Poisson arrivals at the mean rate (true, the default: independent clients), or evenly
         * spaced ones (false).
         */
        public Builder poisson(boolean on) {
            this.poisson = on;
            return this;
        }

        /** Keep a {@link RequestRecord} per request (memory grows with the requests sent). */
        public Builder record(boolean on) {
            this.record = on;
            return this;
        }

        /** The most connections open at once; default 10000. */
        public Builder maxConnections(int n) {
            this.maxConnections = n;
            return this;
        }

        /** Starts sending at once. */
        public LoadGenerator start() {
            LoadGenerator g = new LoadGenerator(this);
            g.loop.execute(g::begin);
            return g;
        }
    }
}
