package io.routerctl.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskState;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * Behind an HTTP/1.1 server codec: a request task per request, labelled with its method and path
 * (without the query string), from its head read until its last content is written. Pipelined
 * requests are answered in order, so the oldest in flight is the one a response belongs to.
 *
 * <h2>Allocation and threads</h2>
 * One per HTTP connection, written on its event loop only. Per request: its label (one string and
 * its builder); the ring of requests in flight grows only past 4 pipelined requests. Loaded only
 * when a pipeline has an HTTP codec, so a service without {@code netty-codec-http} never needs its
 * classes.
 */
final class HttpRequestTracker extends ChannelDuplexHandler {

    static final ProbePoint REQUEST_READ = ProbePoint.observed("request-read", ProbePoint.Kind.STEP,
            ConnectionTracker.WHERE);
    static final ProbePoint RESPONSE_STARTED = ProbePoint.observed("response-started", ProbePoint.Kind.STEP,
            ConnectionTracker.WHERE);
    static final ProbePoint RESPONSE_WRITTEN = ProbePoint.observed("response-written", ProbePoint.Kind.STEP,
            ConnectionTracker.WHERE);
    static final String READ_BEFORE_ATTACH = "read before attach";
    static final int MAX_LABEL = 100;

    private final ConnectionTracker connection;
    private final TaskShard shard;
    private final int pendingBeforeAttach;
    /** Requests in flight, oldest first (a ring). */
    private long[] inFlight = new long[4];
    private int head;
    private int size;
    /** The request whose content is being read. */
    private long reading = TaskShard.NO_TASK;

    HttpRequestTracker(ConnectionTracker connection, int pendingBeforeAttach) {
        this.connection = connection;
        this.shard = connection.shard;
        this.pendingBeforeAttach = pendingBeforeAttach;
    }

    /** Whether a handler of {@code type} is an HTTP/1.1 server codec (by name: the class may not be loadable). */
    static boolean isServerCodec(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            String n = c.getName();
            if (n.equals("io.netty.handler.codec.http.HttpServerCodec")
                    || n.equals("io.netty.handler.codec.http.HttpRequestDecoder")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code type} is (or extends) Netty's HTTP/1 response encoder, as a server writes with. */
    static boolean isResponseEncoder(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals("io.netty.handler.codec.http.HttpResponseEncoder")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Requests a server codec has read and not yet answered (it counts them to pair HEAD requests
     * with their responses): {@code queue} in Netty 4.1, {@code methodQueueSize} in 4.2; -1 when
     * neither is there (a bare {@code HttpRequestDecoder} keeps no count).
     */
    static int pending(ChannelHandler codec) {
        for (Class<?> c = codec.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                try {
                    if (f.getName().equals("methodQueueSize") && f.getType() == int.class) {
                        f.setAccessible(true);
                        return Math.max(0, f.getInt(codec));
                    }
                    if (f.getName().equals("queue") && Collection.class.isAssignableFrom(f.getType())) {
                        f.setAccessible(true);
                        Object q = f.get(codec);
                        return q == null ? 0 : ((Collection<?>) q).size();
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    return 0;
                }
            }
        }
        return -1;
    }

    /**
     * Requests the codec read before routerctl came: each a task labelled {@value #READ_BEFORE_ATTACH}
     * (their method and path are gone from the codec), waiting after the last application handler,
     * its age a lower bound. The oldest, the one being served, is named instead where the
     * framework that holds it can tell ({@link NettyTracking.Builder#openRequests}), with its real
     * age when the framework says when it read it; behind a decoder that counts nothing, the
     * framework's request in flight is the only one known.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (pendingBeforeAttach != 0) {
            Channel ch = ctx.channel();
            NettyTracking.OpenRequest open = connection.tracking.openRequest(ch);
            // A decoder that keeps no count (Vert.x's): the framework's request in flight, if any.
            int pending = pendingBeforeAttach > 0 ? pendingBeforeAttach : open != null ? 1 : 0;
            if (pending == 0) {
                return;
            }
            HandlerPoints after = connection.lastApplicationHandler();
            for (int i = 0; i < pending && i < 64; i++) {
                long readAt = i == 0 && open != null ? readAt(open) : Long.MIN_VALUE;
                long t = readAt == Long.MIN_VALUE
                        ? shard.register(TaskKind.REQUEST, connection.connection, ch.remoteAddress(), ch.localAddress())
                        : shard.register(TaskKind.REQUEST, connection.connection, ch.remoteAddress(), ch.localAddress(), readAt);
                shard.label(t, i == 0 && open != null ? label(open.method(), open.uri()) : READ_BEFORE_ATTACH);
                if (readAt == Long.MIN_VALUE) {
                    shard.beganEarlier(t);
                }
                if (after != null) {
                    shard.await(t, after.after);
                }
                push(t);
            }
            connection.idle();
        }
    }

    /**
     * When {@code open} was read, on the shard's clock, or {@link Long#MIN_VALUE} when the framework
     * does not say or says a time that cannot be (later than now: the wall clock was set back).
     */
    private long readAt(NettyTracking.OpenRequest open) {
        if (open.readAt() == null) {
            return Long.MIN_VALUE;
        }
        long now = shard.now();
        long ago;
        try {
            ago = Duration.between(open.readAt(), Instant.now()).toNanos();
        } catch (ArithmeticException e) {
            return Long.MIN_VALUE;
        }
        if (ago < 0) {
            return Long.MIN_VALUE;
        }
        return now - ago;
    }

    /** Whether a request is in flight (read, not yet answered). */
    boolean inFlight() {
        return size > 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        try {
            read(ctx, msg);
        } catch (RuntimeException e) {
            InternalErrors.record("netty http tracker", e);
        }
        ctx.fireChannelRead(msg);
    }

    private void read(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest r) {
            Channel ch = ctx.channel();
            long t = shard.register(TaskKind.REQUEST, connection.connection, ch.remoteAddress(), ch.localAddress());
            shard.label(t, label(r));
            push(t);
            reading = t;
            connection.idle();
        } else if (msg instanceof HttpContent) {
            shard.resume(reading, null);
        }
        if (msg instanceof LastHttpContent) {
            shard.step(reading, REQUEST_READ);
        }
        Dispatch d = Dispatch.ifOpen();
        if (d != null) {
            // One read of bytes may decode into several messages (a head, then its last content):
            // each is dispatched anew, so the handler that returns first is looked for again.
            d.task = reading;
            d.complete = msg instanceof LastHttpContent;
            d.continuation = !(msg instanceof HttpRequest) && msg instanceof HttpContent;
            d.leaf = null;
            d.code = null;
        }
    }

    /** {@code GET /items/42}: the method and the path without its query, at most {@value #MAX_LABEL} characters. */
    static String label(HttpRequest r) {
        return label(r.method().name(), r.uri());
    }

    /** {@code method + " " + uri} without the query, control characters shown as {@code ?}. */
    static String label(CharSequence method, CharSequence uri) {
        int q = uri.toString().indexOf('?');
        int end = Math.min(q < 0 ? uri.length() : q, MAX_LABEL);
        StringBuilder b = new StringBuilder(method.length() + 1 + end).append(method).append(' ');
        for (int i = 0; i < end; i++) {
            char c = uri.charAt(i);
            b.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return b.toString();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        try {
            written(msg);
        } catch (RuntimeException e) {
            InternalErrors.record("netty http tracker", e);
        }
        ctx.write(msg, promise);
    }

    private void written(Object msg) {
        if (size == 0) {
            return;
        }
        if (msg instanceof HttpResponse r) {
            int code = r.status().code();
            if (code == 100 || code == 102 || code == 103) {
                return; // an interim response; the final one follows
            }
        }
        if (!(msg instanceof HttpResponse) && !(msg instanceof LastHttpContent)) {
            return;
        }
        shard.beginEvent();
        try {
            long t = inFlight[head];
            if (msg instanceof HttpResponse) {
                shard.step(t, RESPONSE_STARTED);
            }
            if (msg instanceof LastHttpContent) {
                shard.step(t, RESPONSE_WRITTEN);
                shard.finish(t, TaskState.DONE);
                pop();
                if (size == 0) {
                    connection.idle();
                }
            }
        } finally {
            shard.endEvent();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        abandonAll();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        abandonAll();
    }

    /** Every request in flight ends abandoned (the connection closed, or tracking stopped). */
    void abandonAll() {
        while (size > 0) {
            shard.finish(inFlight[head], TaskState.ABANDONED);
            pop();
        }
        reading = TaskShard.NO_TASK;
    }

    private void push(long t) {
        if (size == inFlight.length) {
            long[] bigger = new long[size * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = inFlight[(head + i) % size];
            }
            inFlight = bigger;
            head = 0;
        }
        inFlight[(head + size) % inFlight.length] = t;
        size++;
    }

    private void pop() {
        inFlight[head] = TaskShard.NO_TASK;
        head = (head + 1) % inFlight.length;
        size--;
    }
}
