package io.routerctl.runtime;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import io.routerctl.netty.NettyTracking;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.snapshot.TaskState;

import java.util.ArrayDeque;

/**
 * The tracked life of one server connection and of the requests on it.
 *
 * <p>The router is a Netty service tracked like any other (the library path,
 * {@code io.routerctl.netty}): {@link NettyTracking}'s connection tracker, first in the pipeline,
 * registers the connection (idle but while a request head is being read, so that only requests
 * can be stuck) and its HTTP request tracker, behind the codec, registers each request when its
 * head is decoded and finishes it when its last content is written ({@code response-written}), or
 * abandons it when the client goes away first. This class adds what the router knows: the
 * connection's {@code accepted} step, and for each request a {@link RequestContext} through which
 * the router records its own steps and waits.
 *
 * <p>Pipeline: the connection tracker → {@code this} → {@link HttpServerCodec} → the request
 * tracker → {@link HeadTracker} → {@link HttpObjectAggregator} → {@link Dispatcher}, which hands
 * whole requests to the {@link RequestHandler} one at a time (pipelined requests wait their turn).
 *
 * <h2>Thread safety and allocation</h2>
 * Confined to the connection's event loop, which alone writes every field. Per connection: this
 * object, a {@link HeadTracker} and a {@link Dispatcher}; the queue of pipelined requests only if
 * a client pipelines. Per request: one {@link RequestContext}.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter {

    final LoopResources loop;
    Channel channel;
    long handle = TaskShard.NO_TASK;
    /** Whether the connection's {@code accepted} step was recorded (at install, or when it became active). */
    private boolean accepted;
    private RequestContext reading;
    private RequestContext serving;
    private ArrayDeque<RequestContext> queued;

    ServerConnection(LoopResources loop) {
        this.loop = loop;
    }

    /**
     * Installs the HTTP server pipeline on {@code ch}, tracked the way any Netty service is: by
     * {@code io.routerctl.netty}'s trackers ({@link NettyTracking#install}), which register the
     * connection and each request; this pipeline adds the router's own steps and waits to them.
     */
    static void install(Channel ch, LoopResources loop) {
        ServerConnection connection = new ServerConnection(loop);
        connection.channel = ch;
        ChannelPipeline p = ch.pipeline();
        p.addLast("router-connection", connection);
        p.addLast("http-codec", new HttpServerCodec());
        p.addLast("router-request-head", connection.new HeadTracker());
        p.addLast("http-aggregator", new HttpObjectAggregator(loop.maxContentLength));
        p.addLast("router-dispatcher", connection.new Dispatcher());
        if (loop.shard.isEnabled()) {
            loop.tracking.install(ch, false); // tracking off: no tracker in the pipeline at all
            // An accepted channel is active already: its connection task exists now; mark it
            // accepted in the same event, so that no reader sees the connection without its step.
            connection.point(NettyTracking.connectionTask(ch), RuntimePoints.ACCEPTED);
            connection.accepted = true;
        }
    }

    void point(long task, ProbePoint point) {
        loop.shard.step(task, point);
        loop.tracer.onPoint(channel, task, point);
    }

    // Every channel event opens an event on the loop's shard: one clock read stamps all that the
    // pipeline and the application record while handling it (see TaskShard, "Time").

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        loop.shard.beginEvent();
        try {
            channel = ctx.channel();
            handle = NettyTracking.connectionTask(channel);
            if (!accepted) {
                point(handle, RuntimePoints.ACCEPTED);
                accepted = true;
            }
            ctx.fireChannelActive();
        } finally {
            loop.shard.endEvent();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        loop.shard.beginEvent();
        try {
            inactive(ctx);
        } finally {
            loop.shard.endEvent();
        }
    }

    private void inactive(ChannelHandlerContext ctx) {
        abandon(reading);
        reading = null;
        abandon(serving);
        serving = null;
        if (queued != null) {
            for (RequestContext rc; (rc = queued.poll()) != null; ) {
                abandon(rc);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a protocol error ends the connection; channelInactive settles its tasks.
        ctx.close();
    }

    private void abandon(RequestContext rc) {
        if (rc != null && rc.phase != RequestContext.FINISHED) {
            rc.finish(TaskState.ABANDONED);
        }
    }

    boolean respond(RequestContext rc, FullHttpResponse response) {
        if (rc.phase != RequestContext.SERVING || !channel.isActive()) {
            ReferenceCountUtil.release(response);
            return false;
        }
        rc.phase = RequestContext.WRITING;
        if (serving == rc) {
            serving = null;
        }
        HttpUtil.setKeepAlive(response, rc.keepAlive);
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setContentLength(response, response.content().readableBytes());
        }
        channel.writeAndFlush(response).addListener(rc);
        if (rc.keepAlive) {
            dispatchNext();
        }
        return true;
    }

    void responseWritten(RequestContext rc, boolean success) {
        if (success) {
            if (rc.phase != RequestContext.FINISHED) {
                point(rc.handle, RuntimePoints.RESPONSE_WRITTEN);
            }
            rc.finish(TaskState.DONE);
        } else {
            rc.finish(TaskState.ABANDONED);
        }
        if (!rc.keepAlive || !success) {
            channel.close();
        }
    }

    private void dispatchNext() {
        if (serving == null && queued != null) {
            RequestContext next = queued.poll();
            if (next != null) {
                dispatch(next);
            }
        }
    }

    private void dispatch(RequestContext rc) {
        serving = rc;
        rc.phase = RequestContext.SERVING;
        if (rc.request.decoderResult().isFailure()) {
            rc.keepAlive = false;
            rc.respond(HttpResponseStatus.BAD_REQUEST, "bad request\n");
            return;
        }
        try {
            loop.handler.handle(rc, rc.request);
        } catch (Throwable t) {
            rc.keepAlive = false;
            if (!rc.respond(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n")) {
                channel.close();
            }
        }
    }

    /**
     * Registers each request when its head is decoded. Confined to the loop; allocates the
     * request's {@link RequestContext}.
     */
    final class HeadTracker extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                if (reading != null) {
                    // The previous head never became a whole request (the aggregator refused it).
                    reading.finish(TaskState.FAILED);
                }
                // The request tracker ahead of this handler registered the request (and records
                // request-read once it is read whole); the step tracer hears of it here.
                long request = NettyTracking.currentTask();
                reading = new RequestContext(ServerConnection.this, request);
                loop.tracer.onPoint(channel, request, RuntimePoints.REQUEST_READ);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Hands whole requests to the application, one at a time per connection. Confined to the loop;
     * allocates nothing (a queue only when a client pipelines).
     */
    final class Dispatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            FullHttpRequest request = (FullHttpRequest) msg;
            RequestContext rc = reading;
            reading = null;
            if (rc == null || rc.phase == RequestContext.FINISHED) {
                rc = new RequestContext(ServerConnection.this, TaskShard.NO_TASK);
            }
            rc.request = request;
            rc.keepAlive = HttpUtil.isKeepAlive(request);
            if (serving == null && (queued == null || queued.isEmpty())) {
                dispatch(rc);
            } else {
                rc.phase = RequestContext.QUEUED;
                if (queued == null) {
                    queued = new ArrayDeque<>(4);
                }
                queued.add(rc);
            }
        }
    }
}
