package io.routerctl.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.GenericFutureListener;
import io.routerctl.probes.FutureWatch;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskState;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;

/**
 * First in a tracked channel's pipeline: registers the channel as a connection task, opens the
 * loop's {@link Dispatch} around every inbound message (so that everything the message causes on
 * the loop is attributed to its request), and, when the message has been handled without an
 * answer, records what the request now waits on: a future created meanwhile (watched, so its loss
 * is provable), or else the application handler that returned last.
 *
 * <p>Behind an HTTP/1.1 server codec the requests are the {@link HttpRequestTracker}'s; on any other
 * channel each inbound message opens an exchange, a request task that ends with the next outbound
 * write.
 *
 * <h2>Allocation and threads</h2>
 * One per channel; its state is written on the channel's event loop only. Per message nothing,
 * except when a request is left waiting on a future: one {@link FutureWatch} and one {@link Link},
 * plus the future's own completion node; when the application's code left more than one pending,
 * a {@link Next} (two small arrays and a weak reference per other pending future). Never throws
 * into the pipeline: its own failures are counted in {@link InternalErrors} and the message goes on.
 */
final class ConnectionTracker extends ChannelDuplexHandler {

    static final String WHERE = "routerctl netty";
    static final ProbePoint MESSAGE_READ = ProbePoint.observed("message-read", ProbePoint.Kind.STEP, WHERE);
    static final ProbePoint REPLY_WRITTEN = ProbePoint.observed("reply-written", ProbePoint.Kind.STEP, WHERE);
    static final ProbePoint FUTURE_COMPLETED = ProbePoint.observed("future-completed", ProbePoint.Kind.STEP, WHERE);
    static final ProbePoint FUTURE = ProbePoint.observed("future", ProbePoint.Kind.AWAIT, WHERE);
    static final ProbePoint THREAD = ProbePoint.observed("thread", ProbePoint.Kind.AWAIT, WHERE);
    static final String BEFORE_ATTACH = "open before attach";

    /** Whether a class is the service's own; a map owned here (see {@link HandlerPoints} on ClassValue). */
    private static final ConcurrentHashMap<Class<?>, Boolean> APPLICATION = new ConcurrentHashMap<>();

    final NettyTracking tracking;
    /** The channel's loop's shard, known once the channel is registered (set in handlerAdded, on the loop). */
    TaskShard shard;
    private final boolean openBeforeAttach;
    /** The HTTP/2 multiplexer whose stream handler we wrapped, to put it back ({@link StreamInstaller}). */
    private StreamInstaller streams;
    ChannelHandlerContext ctx;
    long connection = TaskShard.NO_TASK;
    private long exchange = TaskShard.NO_TASK;
    private HttpRequestTracker http;
    /** An HTTP/2 connection: its streams are the requests (see {@link StreamTracker}), not its messages. */
    private boolean multiplexed;
    /** The frame listener put in front of a non-multiplexing HTTP/2 codec's, to put it back. */
    private Http2StreamListener h2;
    private HandlerPoints lastInPipeline;
    /** The pipeline's last context when its handlers were last wrapped: another one means handlers were added. */
    private ChannelHandlerContext lastWrapped;
    /**
     * Messages that may still search the pipeline for a codec: a framework may add its codec after
     * the channel became active, anywhere in the pipeline (gRPC's, once its negotiation is done);
     * a connection with no codec by then is taken for another protocol's.
     */
    private int looksLeft = 8;
    /**
     * The connection speaks HTTP/2 before its codec was found: its first bytes were a client's
     * preface (prior knowledge), or the server switched protocols (an h2c upgrade). What it writes
     * then is frames, not the reply that ends the exchange.
     */
    private boolean http2;
    /** The exchange's request asked to switch to HTTP/2 ({@code Upgrade: h2c}). */
    private boolean upgradeAsked;
    private boolean gone;
    private volatile boolean removed;

    ConnectionTracker(NettyTracking tracking, boolean openBeforeAttach) {
        this.tracking = tracking;
        this.openBeforeAttach = openBeforeAttach;
    }

    /** Whether {@code type} is the service's code rather than Netty's or routerctl's. */
    static boolean isApplication(Class<?> type) {
        Boolean known = APPLICATION.get(type);
        if (known == null) {
            String n = type.getName();
            known = !n.startsWith("io.netty.") && !n.startsWith("io.routerctl.netty.");
            if (APPLICATION.size() < HandlerPoints.MAX_CLASSES) {
                APPLICATION.put(type, known);
            }
        }
        return known;
    }

    /** Called on the channel's loop once it is registered (at once if it already is). */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (tracking.isClosed()) {
            // Added before the channel registered, and tracking stopped meanwhile: nothing to track.
            gone = true;
            ctx.pipeline().remove(this);
            return;
        }
        tracking.added(this);
        try {
            shard = tracking.shard(ctx.channel().eventLoop());
            if (ctx.channel().isActive()) {
                registerConnection(ctx.channel());
                look(ctx.pipeline());
            }
        } catch (RuntimeException | LinkageError e) {
            InternalErrors.record("netty tracker", e);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        try {
            if (connection == TaskShard.NO_TASK) {
                registerConnection(ctx.channel());
            }
            look(ctx.pipeline()); // the service's initializers have run by now
        } catch (RuntimeException | LinkageError e) {
            InternalErrors.record("netty tracker", e);
        }
        ctx.fireChannelActive();
    }

    /** Finds what the pipeline holds now: its HTTP codec (or HTTP/2 multiplexer), its own handlers. */
    private void look(ChannelPipeline pipeline) {
        findHttp(pipeline);
        if (tracking.observesHandlers()) {
            wrapHandlers(pipeline);
        }
    }

    /**
     * Puts a {@link StepHandler} right before each of the service's inbound handlers that has none:
     * one iteration over the pipeline, when the connection is tracked, when it becomes active, and
     * again after a message that passed no handler of the service's (one may have been added since).
     */
    void wrapHandlers(ChannelPipeline pipeline) {
        lastInPipeline = null;
        lastWrapped = wrapHandlers(pipeline, tracking);
    }

    /** {@link #wrapHandlers(ChannelPipeline)} for any pipeline; returns its last context now. */
    static ChannelHandlerContext wrapHandlers(ChannelPipeline pipeline, NettyTracking tracking) {
        java.util.List<Map.Entry<String, ChannelHandler>> unwrapped = new java.util.ArrayList<>(2);
        ChannelHandler previous = null;
        for (Map.Entry<String, ChannelHandler> e : pipeline) {
            ChannelHandler h = e.getValue();
            if (h instanceof ChannelInboundHandler && !(h instanceof StepHandler) && isApplication(h.getClass())
                    && !(previous instanceof StepHandler s && s.tracking == tracking)) {
                unwrapped.add(e);
            }
            previous = h;
        }
        for (Map.Entry<String, ChannelHandler> e : unwrapped) {
            String name = StepHandler.PREFIX + e.getKey();
            if (pipeline.context(e.getValue()) != null && pipeline.get(name) == null) {
                pipeline.addBefore(e.getKey(), name, new StepHandler(tracking, HandlerPoints.of(e.getValue().getClass(), e.getKey())));
            }
        }
        return pipeline.lastContext();
    }

    /** Takes this tracking's step handlers out of {@code pipeline}. On its loop. */
    static void unwrapHandlers(ChannelPipeline pipeline, NettyTracking tracking) {
        for (Map.Entry<String, ChannelHandler> e : pipeline) {
            if (e.getValue() instanceof StepHandler step && step.tracking == tracking && pipeline.context(step) != null) {
                pipeline.remove(step);
            }
        }
    }

    private void registerConnection(Channel ch) {
        shard.beginEvent();
        try {
            connection = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, ch.remoteAddress(), ch.localAddress());
            if (openBeforeAttach) {
                shard.label(connection, BEFORE_ATTACH);
                shard.beganEarlier(connection);
            }
            shard.idle(connection);
        } finally {
            shard.endEvent();
        }
    }

    /** Puts a request tracker behind the channel's HTTP/1.1 server codec, if it has one and none yet. */
    private void findHttp(ChannelPipeline pipeline) {
        if (http != null || multiplexed) {
            return;
        }
        ChannelHandler codec = null;
        for (Map.Entry<String, ChannelHandler> e : pipeline) {
            ChannelHandler h = e.getValue();
            if (StreamTracker.isHttp2Codec(h.getClass())) {
                multiplexed = true;
                codec = h;
            }
            if (streams == null && StreamInstaller.isMultiplexer(h)) {
                streams = StreamInstaller.wrap(h, this);
            }
            if (multiplexed && streams != null) {
                return;
            }
            if (HttpRequestTracker.isServerCodec(h.getClass())) {
                HttpRequestTracker t = new HttpRequestTracker(this, openBeforeAttach ? HttpRequestTracker.pending(h) : 0);
                pipeline.addAfter(behindEncoder(pipeline, e.getKey()), NettyTracking.HTTP_HANDLER, t);
                http = t;
                return;
            }
        }
        if (codec != null && streams == null) {
            // No multiplexer: the codec hands frames to its listener, and the streams are seen there.
            h2 = Http2StreamListener.install(this, codec, pipeline.context(codec));
            if (h2 != null) {
                tracking.codecFound(codec);
            }
        }
        if (multiplexed && shard != null && shard.isLive(exchange)) {
            // The bytes read so far were HTTP/2's, or an HTTP/1 upgrade the streams now carry: an
            // open stream took the exchange over (above), or there was none and the exchange ends.
            shard.finish(exchange, TaskState.DONE);
            exchange = TaskShard.NO_TASK;
        }
    }

    /**
     * The request task of the bytes read before a codec was found, for the open stream that
     * carries it on after an HTTP/1 upgrade to HTTP/2 (Vert.x's h2c), or {@link TaskShard#NO_TASK}
     * (none, or the connection was open before routerctl came). Once.
     */
    long takeExchange() {
        if (openBeforeAttach || !shard.isLive(exchange)) {
            return TaskShard.NO_TASK;
        }
        long t = exchange;
        exchange = TaskShard.NO_TASK;
        return t;
    }

    /**
     * Where the request tracker goes: behind the codec named {@code codec}, or, when the pipeline
     * has a separate response encoder after that request decoder (Vert.x's), behind the encoder, so
     * that the responses the service writes reach the tracker before they are bytes.
     */
    static String behindEncoder(ChannelPipeline pipeline, String codec) {
        boolean after = false;
        String last = codec;
        for (Map.Entry<String, ChannelHandler> e : pipeline) {
            if (e.getKey().equals(codec)) {
                after = true;
            } else if (after && HttpRequestTracker.isResponseEncoder(e.getValue().getClass())) {
                last = e.getKey();
            }
        }
        return last;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (http == null && !multiplexed && looksLeft > 0) {
            looksLeft--;
            try {
                findHttp(ctx.pipeline()); // a codec added after the channel became active (gRPC's, after negotiation)
            } catch (RuntimeException | LinkageError e) {
                InternalErrors.record("netty tracker", e);
            }
        }
        Dispatch d = Dispatch.get();
        shard.beginEvent();
        Dispatch.Saved saved = d.open(shard, TaskShard.NO_TASK, tracking.sites());
        try {
            if (multiplexed) {
                d.complete = false; // a frame of some stream: each stream's tracker opens its own dispatch
            } else if (http == null) {
                startExchange(msg);
                d.task = exchange;
                d.complete = true;
                d.shape = http2 ? Dispatch.SHAPE_BYTES_H2 : upgradeAsked ? Dispatch.SHAPE_BYTES_UPGRADE : Dispatch.SHAPE_BYTES;
            } else if (!http.inFlight()) {
                shard.active(connection); // the bytes of a request head: the connection works until it is whole
            }
        } catch (RuntimeException e) {
            InternalErrors.record("netty tracker", e);
        }
        try {
            ctx.fireChannelRead(msg);
        } finally {
            try {
                settle(d);
            } catch (RuntimeException | LinkageError e) {
                InternalErrors.record("netty tracker", e);
            } finally {
                d.close(saved);
                shard.endEvent();
            }
        }
    }

    private void startExchange(Object msg) {
        if (shard.isLive(exchange)) {
            shard.resume(exchange, MESSAGE_READ);
            return;
        }
        Channel ch = ctx.channel();
        exchange = shard.register(TaskKind.REQUEST, connection, ch.remoteAddress(), ch.localAddress());
        shard.idle(connection); // the exchange carries the work now
        if (msg instanceof io.netty.buffer.ByteBuf bytes) {
            // Bytes before any HTTP codec: a server that adds its codec on the first bytes (Vert.x,
            // after its h2c check) decodes this request before a request tracker can be put in.
            // HTTP/2 with prior knowledge: what the server writes meanwhile is its settings, not
            // a reply; the exchange is the first stream's, which takes it over once the codec is found.
            http2 = FirstHeaders.isPreface(bytes);
            String line = http2 ? FirstHeaders.label(bytes) : requestLine(bytes);
            upgradeAsked = line != null && !http2 && FirstHeaders.asksUpgrade(bytes);
            if (line != null) {
                shard.label(exchange, line);
            }
        }
    }

    /** The longest request line looked at for a label. */
    static final int MAX_REQUEST_LINE = 512;

    /**
     * {@code GET /prices/HALT} from the start of an HTTP/1 request's bytes ({@code GET
     * /prices/HALT?x=1 HTTP/1.1}, query left out), or null if they do not start like one. Reads
     * without moving the buffer's indexes; allocates the label only.
     */
    static String requestLine(io.netty.buffer.ByteBuf bytes) {
        int start = bytes.readerIndex();
        int end = Math.min(bytes.writerIndex(), start + MAX_REQUEST_LINE);
        int i = start;
        while (i < end && bytes.getByte(i) >= 'A' && bytes.getByte(i) <= 'Z') {
            i++;
        }
        int methodEnd = i;
        if (methodEnd == start || methodEnd - start > 10 || i >= end || bytes.getByte(i) != ' ') {
            return null;
        }
        int pathStart = ++i;
        while (i < end) {
            byte b = bytes.getByte(i);
            if (b == ' ' || b == '?' || b == '\r' || b == '\n') {
                break;
            }
            if (b < 0x21 || b > 0x7e) {
                return null; // not a request target
            }
            i++;
        }
        if (i == pathStart || i >= end) {
            return null;
        }
        byte after = bytes.getByte(i);
        if (after != ' ' && after != '?') {
            return null;
        }
        return bytes.toString(start, methodEnd - start, java.nio.charset.StandardCharsets.US_ASCII) + " "
                + bytes.toString(pathStart, i - pathStart, java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * The message has been handled. If its request is still in flight, it now waits: on the first
     * future created meanwhile that is still incomplete, or after the handler that returned last
     * (without the agent, which sees no handler return: once the request has been read whole,
     * after the last application handler in the pipeline).
     */
    private void settle(Dispatch d) {
        if (d.leaf == null && d.complete && tracking.observesHandlers() && ctx.pipeline().lastContext() != lastWrapped) {
            wrapHandlers(ctx.pipeline()); // no handler of the service's saw the message, and one was added since
        }
        settle(tracking, shard, d, ctx, this::lastApplicationHandler);
    }

    /** {@link #settle(Dispatch)} for any tracker of {@code ctx}'s channel. */
    static void settle(NettyTracking tracking, TaskShard shard, Dispatch d, ChannelHandlerContext ctx,
                       java.util.function.Supplier<HandlerPoints> lastInPipeline) {
        long task = d.task;
        d.task = TaskShard.NO_TASK; // futures created from here on (our own listener's) are not the request's
        if (!shard.isLive(task) || shard.isWaiting(task)) {
            return; // finished, or the service's own code said what it waits on
        }
        int pending = firstPending(d.futures, d.futurePoints, d.futureCount);
        if (pending >= 0) {
            link(tracking, shard, ctx, task, d.futures[pending], d.futurePoints[pending],
                    Next.after(tracking, ctx, d.futures, d.futurePoints, d.futureCount, pending));
            return;
        }
        if (d.thread != null) {
            shard.await(task, d.thread);
            return;
        }
        HandlerPoints after = d.leaf != null ? d.leaf
                : d.complete && !tracking.observesHandlers() ? lastInPipeline.get() : null;
        if (after != null) {
            shard.await(task, after.after);
        }
    }

    /**
     * Whether a future created during a dispatch is done; a publisher ({@code Mono.create}) never
     * says, and counts as pending: the request, still in flight, waits on it.
     */
    /** Waits the agent makes signal-able (a delegate of a Reactor sink), or null; see {@link NettyTracking.SignalWaits}. */
    static volatile NettyTracking.SignalWaits signals;

    static boolean isDone(Object f) {
        if (f instanceof CompletableFuture<?> cf) {
            return cf.isDone();
        }
        if (f instanceof io.netty.util.concurrent.Future<?> nf) {
            return nf.isDone();
        }
        NettyTracking.SignalWaits s = signals;
        if (s != null && s.owns(f)) {
            return s.isDone(f);
        }
        return !PipelineObserver.isPublisher(f);
    }

    /**
     * The future of {@code futures} (the first {@code count}) a request waits on: the application's
     * own first (a framework's, as the promises Vert.x makes of its own while it dispatches a
     * request, only when the application's code made none still pending), else the first pending;
     * -1 when all are done. Null entries are skipped.
     */
    static int firstPending(Object[] futures, ProbePoint[] points, int count) {
        int pending = -1;
        for (int i = 0; i < count; i++) {
            Object f = futures[i];
            if (f != null && !isDone(f)) {
                if (!HandlerPoints.isGeneric(points[i])) {
                    return i;
                }
                if (pending < 0) {
                    pending = i;
                }
            }
        }
        return pending;
    }

    /**
     * What else a request's dispatch made that was pending when it began to wait: when the future
     * it waits on completes, it waits on the next of these still pending (a chain: Vert.x's
     * {@code compose}, whose inner future is made in a callback after the route's code returned,
     * leaves the request's own composed future pending after the first completes). Held weakly, so
     * a dropped one is not kept alive (and its loss stays provable while it is the one waited on).
     * Made only when the application's code left more than one future pending (a framework's own,
     * as Vert.x's promises for its response, are not followed).
     */
    static final class Next {
        private final NettyTracking tracking;
        private final ChannelHandlerContext ctx;
        private final java.lang.ref.WeakReference<?>[] futures;
        private final ProbePoint[] points;

        private Next(NettyTracking tracking, ChannelHandlerContext ctx, java.lang.ref.WeakReference<?>[] futures,
                     ProbePoint[] points) {
            this.tracking = tracking;
            this.ctx = ctx;
            this.futures = futures;
            this.points = points;
        }

        /**
         * The application's futures of a dispatch (made where its code runs, not the framework's
         * own) other than {@code chosen} still pending, or null if none.
         */
        static Next after(NettyTracking tracking, ChannelHandlerContext ctx, Object[] futures, ProbePoint[] points,
                          int count, int chosen) {
            int followed = 0; // a bit per future followed: a dispatch keeps at most Dispatch.MAX_FUTURES
            for (int i = 0; i < count; i++) {
                if (waitsNext(futures, points, i, chosen)) {
                    followed |= 1 << i;
                }
            }
            if (followed == 0) {
                return null;
            }
            int n = Integer.bitCount(followed);
            java.lang.ref.WeakReference<?>[] fs = new java.lang.ref.WeakReference<?>[n];
            ProbePoint[] ps = new ProbePoint[n];
            int j = 0;
            for (int i = 0; i < count; i++) {
                if ((followed & 1 << i) != 0) {
                    fs[j] = new java.lang.ref.WeakReference<>(futures[i]);
                    ps[j++] = points[i];
                }
            }
            return new Next(tracking, ctx, fs, ps);
        }

        private static boolean waitsNext(Object[] futures, ProbePoint[] points, int i, int chosen) {
            return i != chosen && futures[i] != null && !HandlerPoints.isGeneric(points[i]) && !isDone(futures[i]);
        }

        /** The request resumed: it waits on the next of these still pending, if any. On its loop. */
        void waitOnNext(TaskShard shard, long task) {
            if (!shard.isLive(task) || shard.isWaiting(task) || tracking.isClosed()) {
                return;
            }
            Object[] now = new Object[futures.length];
            for (int i = 0; i < now.length; i++) {
                now[i] = futures[i].get();
            }
            int next = firstPending(now, points, now.length);
            if (next < 0) {
                return;
            }
            Object[] left = now.clone();
            left[next] = null;
            link(tracking, shard, ctx, task, now[next], points[next], after(tracking, ctx, left, points, left.length, -1));
        }
    }

    static void link(NettyTracking tracking, TaskShard shard, ChannelHandlerContext ctx, long task,
                             Object future, ProbePoint point, Next next) {
        NettyTracking.SignalWaits s = signals;
        boolean signalled = !(future instanceof CompletableFuture<?>) && !(future instanceof io.netty.util.concurrent.Future<?>)
                && s != null && s.owns(future);
        if (signalled) {
            FutureWatch w = shard.awaitFuture(task, point == null ? FUTURE : point, future);
            if (w != null) {
                Link link = new Link(shard, task, w, ctx.channel().eventLoop(), next);
                w.keep(link);
                s.whenDone(future, tracking.relay(link));
            }
            return;
        }
        if (!(future instanceof CompletableFuture<?>) && !(future instanceof io.netty.util.concurrent.Future<?>)) {
            // A publisher: the request waits on it where the application made it. Not watched: its
            // sink stays reachable from its subscriber (the response), so no GC could prove it lost.
            shard.await(task, point == null ? FUTURE : point);
            return;
        }
        FutureWatch w = shard.awaitFuture(task, point == null ? FUTURE : point, future);
        if (w == null) {
            return;
        }
        Link link = new Link(shard, task, w, ctx.channel().eventLoop(), next);
        w.keep(link); // the waiting task's slot holds the watch, the watch the link: alive while it waits
        BiConsumer<Object, Throwable> continuation = tracking.relay(link);
        if (future instanceof CompletableFuture<?> cf) {
            cf.whenComplete(continuation);
        } else if (future instanceof io.netty.util.concurrent.Future<?> nf) {
            nf.addListener(continuation instanceof InvocationHandler relay ? nettyListener(relay) : link);
        }
    }

    /** A Netty listener whose class is the JDK's proxy, in Netty's loader, calling {@code relay}. */
    @SuppressWarnings("unchecked")
    private static GenericFutureListener<io.netty.util.concurrent.Future<Object>> nettyListener(InvocationHandler relay) {
        return (GenericFutureListener<io.netty.util.concurrent.Future<Object>>) Proxy.newProxyInstance(
                GenericFutureListener.class.getClassLoader(), new Class<?>[]{GenericFutureListener.class}, relay);
    }

    /** The last application inbound handler in the pipeline, looked up once (or null). */
    HandlerPoints lastApplicationHandler() {
        HandlerPoints last = lastInPipeline;
        if (last == null) {
            last = lastApplicationHandler(ctx);
            lastInPipeline = last;
        }
        return last;
    }

    /** The last application inbound handler in {@code ctx}'s pipeline, or null. */
    static HandlerPoints lastApplicationHandler(ChannelHandlerContext ctx) {
        HandlerPoints last = null;
        for (Map.Entry<String, ChannelHandler> e : ctx.pipeline()) {
            ChannelHandler h = e.getValue();
            if (h instanceof ChannelInboundHandler && isApplication(h.getClass())) {
                last = HandlerPoints.of(h.getClass(), e.getKey());
            }
        }
        return last;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (http == null && !multiplexed && exchange != TaskShard.NO_TASK && !http2) {
            if (isUpgrade(msg)) {
                http2 = true; // 101 Switching Protocols: the request goes on as the first stream
                ctx.write(msg, promise);
                return;
            }
            try {
                shard.beginEvent();
                try {
                    shard.step(exchange, REPLY_WRITTEN);
                    shard.finish(exchange, TaskState.DONE);
                    exchange = TaskShard.NO_TASK;
                    shard.idle(connection);
                } finally {
                    shard.endEvent();
                }
            } catch (RuntimeException e) {
                InternalErrors.record("netty tracker", e);
            }
        }
        ctx.write(msg, promise);
    }

    /**
     * Whether {@code msg} is the bytes of an HTTP/1 {@code 101 Switching Protocols}: the request
     * goes on, as the first stream of the protocol it switches to.
     */
    static boolean isUpgrade(Object msg) {
        if (!(msg instanceof io.netty.buffer.ByteBuf b) || b.readableBytes() < 13) {
            return false;
        }
        int i = b.readerIndex();
        return b.getByte(i) == 'H' && b.getByte(i + 8) == ' ' && b.getByte(i + 9) == '1' && b.getByte(i + 10) == '0'
                && b.getByte(i + 11) == '1' && b.getByte(i + 12) == ' ';
    }

    /**
     * A request of this connection was read, or the last one answered: either way the connection
     * itself waits on nothing (a request in flight carries the work), so it idles.
     */
    void idle() {
        shard.idle(connection);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        end();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        end();
    }

    /** Whether {@link #remove} took this tracker out of its pipeline. */
    boolean isRemoved() {
        return removed;
    }

    private void end() {
        if (gone || shard == null) {
            return;
        }
        gone = true;
        tracking.removed(this);
        shard.finish(exchange, TaskState.ABANDONED);
        exchange = TaskShard.NO_TASK;
        if (http != null) {
            http.abandonAll();
        }
        if (streams != null) {
            streams.restore();
            streams = null;
        }
        if (h2 != null) {
            h2.restore();
            tracking.codecEnded(h2.codec());
            h2 = null;
        }
        shard.finish(connection, TaskState.DONE);
        connection = TaskShard.NO_TASK;
    }

    /** Takes this tracker (and its HTTP tracker) out of the pipeline, on the loop; counts {@code done} down. */
    void remove(CountDownLatch done) {
        onLoop(ctx, done, "netty tracker", () -> {
            ChannelPipeline p = ctx.pipeline();
            if (http != null && p.context(http) != null) {
                p.remove(http);
            }
            unwrapHandlers(p, tracking);
            if (p.context(this) != null) {
                p.remove(this);
            }
            end();
            removed = true;
        });
    }

    /**
     * Runs {@code work} on {@code ctx}'s loop and then counts {@code done} down, also when it fails
     * (recorded as {@code where}) or the loop is gone (and the channel with it). For a tracker's
     * removal when tracking stops.
     */
    static void onLoop(ChannelHandlerContext ctx, CountDownLatch done, String where, Runnable work) {
        try {
            ctx.executor().execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    InternalErrors.record(where, e);
                } finally {
                    done.countDown();
                }
            });
        } catch (RuntimeException shutDown) {
            done.countDown();
        }
    }

    /**
     * Hands {@code task} to {@code loop} from another thread without waking the loop for it, where
     * Netty allows ({@code lazyExecute}): a future completed or a handed-off call returned on
     * another thread is nearly always followed by the answer's write, which wakes the loop, and the
     * task runs in the same pass; else the loop watchdog's next heartbeat (every 100 ms) does. Waking
     * the loop twice more per call cost about 1% of a gRPC service's CPU at saturation.
     */
    static void post(io.netty.util.concurrent.EventExecutor loop, Runnable task) {
        if (loop instanceof io.netty.util.concurrent.SingleThreadEventExecutor single) {
            single.lazyExecute(task);
        } else {
            loop.execute(task);
        }
    }

    /**
     * A request's wait on a future: when the future completes (any thread), the watch is told and
     * the request resumes on its loop.
     */
    static final class Link implements BiConsumer<Object, Throwable>,
            GenericFutureListener<io.netty.util.concurrent.Future<Object>>, Runnable {
        private final TaskShard shard;
        private final long task;
        private final FutureWatch watch;
        private final io.netty.util.concurrent.EventExecutor loop;
        /** What the request waits on after this future, or null; taken by the first {@link #run}. */
        private Next next;

        Link(TaskShard shard, long task, FutureWatch watch, io.netty.util.concurrent.EventExecutor loop, Next next) {
            this.shard = shard;
            this.task = task;
            this.watch = watch;
            this.loop = loop;
            this.next = next;
        }

        @Override
        public void accept(Object value, Throwable error) {
            completed();
        }

        @Override
        public void operationComplete(io.netty.util.concurrent.Future<Object> future) {
            completed();
        }

        private void completed() {
            watch.completed();
            if (loop.inEventLoop()) {
                run();
            } else {
                try {
                    post(loop, this);
                } catch (RuntimeException shutDown) {
                    // The loop is gone, and the task with it.
                }
            }
        }

        @Override
        public void run() {
            shard.resume(task, FUTURE_COMPLETED);
            Next n = next;
            if (n != null) {
                next = null;
                n.waitOnNext(shard, task);
            }
        }
    }
}
