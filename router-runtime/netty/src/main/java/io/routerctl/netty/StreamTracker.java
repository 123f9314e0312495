package io.routerctl.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskState;

import java.util.concurrent.CountDownLatch;

/**
 * First in an HTTP/2 stream's child channel (Netty's {@code Http2MultiplexHandler}): the stream is a
 * request task under its connection, labelled with its method and path once its headers are read,
 * from then until a frame that ends the stream is written. Like the {@link ConnectionTracker}, it
 * opens the loop's {@link Dispatch} around each inbound frame, so handler steps and futures are the
 * stream's, and records what the stream waits on when a frame was handled without an answer.
 *
 * <h2>Allocation and threads</h2>
 * One per stream, written on the connection's event loop (a stream's loop is its connection's). Per
 * stream its label; per frame nothing. Loaded only when a pipeline has an HTTP/2 codec.
 */
final class StreamTracker extends ChannelDuplexHandler {

    private final NettyTracking tracking;
    private final ConnectionTracker connection;
    private final TaskShard shard;
    private ChannelHandlerContext ctx;
    private long request = TaskShard.NO_TASK;
    private HandlerPoints lastInPipeline;

    StreamTracker(NettyTracking tracking, ConnectionTracker connection) {
        this.tracking = tracking;
        this.connection = connection;
        this.shard = connection.shard;
    }

    /** Whether a handler of {@code type} is Netty's HTTP/2 connection codec (by name). */
    static boolean isHttp2Codec(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals("io.netty.handler.codec.http2.Http2ConnectionHandler")) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code ch} is an HTTP/2 stream's child channel (by name). */
    static boolean isStream(Channel ch) {
        for (Class<?> c = ch.getClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals("io.netty.handler.codec.http2.Http2StreamChannel")) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (tracking.isClosed()) {
            ctx.pipeline().remove(this); // tracking stopped before this stream started
            return;
        }
        tracking.added(this);
        Channel ch = ctx.channel();
        request = shard.register(TaskKind.REQUEST, connection.connection, ch.remoteAddress(), ch.localAddress());
        if (ch.isActive() && tracking.observesHandlers()) {
            ConnectionTracker.wrapHandlers(ctx.pipeline(), tracking);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        try {
            if (tracking.observesHandlers()) {
                ConnectionTracker.wrapHandlers(ctx.pipeline(), tracking); // the stream's initializer has run
            }
        } catch (RuntimeException | LinkageError e) {
            InternalErrors.record("netty h2 tracker", e);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        Dispatch d = Dispatch.get();
        shard.beginEvent();
        Dispatch.Saved saved = d.open(shard, request, tracking.sites());
        try {
            if (msg instanceof Http2HeadersFrame h) {
                label(h.headers());
                d.complete = h.isEndStream();
                if (h.isEndStream()) {
                    shard.step(request, HttpRequestTracker.REQUEST_READ);
                }
            } else if (msg instanceof Http2DataFrame f) {
                shard.resume(request, null);
                d.complete = f.isEndStream();
                if (f.isEndStream()) {
                    shard.step(request, HttpRequestTracker.REQUEST_READ);
                }
            }
        } catch (RuntimeException e) {
            InternalErrors.record("netty h2 tracker", e);
        }
        try {
            ctx.fireChannelRead(msg);
        } finally {
            try {
                ConnectionTracker.settle(tracking, shard, d, ctx, this::lastApplicationHandler);
            } catch (RuntimeException | LinkageError e) {
                InternalErrors.record("netty h2 tracker", e);
            } finally {
                d.close(saved);
                shard.endEvent();
            }
        }
    }

    private void label(Http2Headers headers) {
        CharSequence method = headers.method();
        CharSequence path = headers.path();
        if (method == null || path == null) {
            return;
        }
        shard.label(request, HttpRequestTracker.label(method, path));
    }

    private HandlerPoints lastApplicationHandler() {
        if (lastInPipeline == null) {
            lastInPipeline = ConnectionTracker.lastApplicationHandler(ctx);
        }
        return lastInPipeline;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        try {
            boolean end = msg instanceof Http2HeadersFrame h ? h.isEndStream()
                    : msg instanceof Http2DataFrame f && f.isEndStream();
            if (msg instanceof Http2HeadersFrame) {
                shard.step(request, HttpRequestTracker.RESPONSE_STARTED);
            }
            if (end) {
                shard.step(request, HttpRequestTracker.RESPONSE_WRITTEN);
                shard.finish(request, TaskState.DONE);
                request = TaskShard.NO_TASK;
            }
        } catch (RuntimeException e) {
            InternalErrors.record("netty h2 tracker", e);
        }
        ctx.write(msg, promise);
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

    private void end() {
        tracking.removed(this);
        shard.finish(request, TaskState.ABANDONED);
        request = TaskShard.NO_TASK;
    }

    /** Takes this tracker out of its stream's pipeline, on its loop (tracking stops); counts {@code done} down. */
    void remove(CountDownLatch done) {
        ConnectionTracker.onLoop(ctx, done, "netty h2 tracker", () -> {
            ConnectionTracker.unwrapHandlers(ctx.pipeline(), tracking);
            if (ctx.pipeline().context(this) != null) {
                ctx.pipeline().remove(this);
            }
            end();
        });
    }
}
