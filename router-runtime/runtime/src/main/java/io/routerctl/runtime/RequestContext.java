package io.routerctl.runtime;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskShard;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One request in flight: the application's handle on its registry task and on its answer.
 *
 * <p>The runtime registers the request when its head is read ({@code request-read}) and finishes
 * it when its response has been written ({@code response-written}, done) or when the client goes
 * away first (abandoned). In between, the application records where the request is:
 *
 * <pre>{@code
 * public void handle(RequestContext ctx, FullHttpRequest request) {
 *     ctx.step(ROUTE_RESOLVED);
 *     ctx.await(AUTH);                          // "waiting on auth" from now
 *     auth.check(token, result -> ctx.eventLoop().execute(() -> {
 *         ctx.resume(AUTH_COMPLETED);           // wait over, step recorded
 *         ctx.upstream().exchange(ctx, backend, upstreamRequest, FORWARD); // awaits "upstream"
 *     }));
 * }
 * // FORWARD.onResponse(ctx, response): ctx.respond(...)
 * }</pre>
 *
 * <p>Every method is safe to call after the request finished (client gone, already answered): it
 * then does nothing, so late completions need no extra bookkeeping. {@link #isOpen()} says whether
 * an answer is still expected.
 *
 * <h2>Thread safety</h2>
 * Confined to {@link #eventLoop()}: call every method on that loop only. Work finished on another
 * thread must hop back with {@code ctx.eventLoop().execute(...)} first.
 *
 * <h2>Allocation</h2>
 * One instance per request (the "one small object" of the runtime), written by the owning loop
 * only; it is also the listener of its response write, so answering allocates nothing of ours.
 * Recording steps and waits allocates nothing.
 */
public final class RequestContext implements ChannelFutureListener {

    static final byte READING = 0;
    static final byte QUEUED = 1;
    static final byte SERVING = 2;
    static final byte WRITING = 3;
    static final byte FINISHED = 4;

    final ServerConnection connection;
    final long handle;
    FullHttpRequest request;
    boolean keepAlive = true;
    byte phase = READING;

    RequestContext(ServerConnection connection, long handle) {
        this.connection = connection;
        this.handle = handle;
    }

    /** The event loop that owns this request, its connection and its shard. */
    public EventLoop eventLoop() {
        return connection.loop.eventLoop;
    }

    /** The client connection. */
    public Channel channel() {
        return connection.channel;
    }

    /** The registry shard of this loop. */
    public TaskShard shard() {
        return connection.loop.shard;
    }

    /** The request's registry handle; {@link TaskShard#NO_TASK} when tracking is off or the shard was full. */
    public long handle() {
        return handle;
    }

    /** The handle of the connection's task (the request's parent). */
    public long connectionHandle() {
        return connection.handle;
    }

    /** This loop's upstream HTTP client. */
    public UpstreamClient upstream() {
        return connection.loop.upstream;
    }

    /** The client's address, or {@code null} if unknown. */
    public SocketAddress remoteAddress() {
        return connection.channel.remoteAddress();
    }

    /**
     * The request as read, or {@code null} once the request finished (the runtime releases it
     * then). Owned by the runtime: {@code retain()} what must outlive the request.
     */
    public FullHttpRequest request() {
        return request;
    }

    /** True until the request was answered or abandoned. */
    public boolean isOpen() {
        return phase == SERVING;
    }

    /** Records that the request passed {@code point}, now. */
    public void step(ProbePoint point) {
        if (phase != FINISHED) {
            connection.point(handle, point);
        }
    }

    /** The request starts waiting on {@code point} (a future, a peer): state waiting, since now. */
    public void await(ProbePoint point) {
        if (phase != FINISHED) {
            connection.loop.shard.await(handle, point);
            connection.loop.tracer.onPoint(connection.channel, handle, point);
        }
    }

    /** The wait is over and the request passed {@code step}, now. */
    public void resume(ProbePoint step) {
        if (phase != FINISHED) {
            connection.loop.shard.resume(handle, step);
            connection.loop.tracer.onPoint(connection.channel, handle, step);
        }
    }

    /** The wait is over (without a step of its own). */
    public void resume() {
        if (phase != FINISHED) {
            connection.loop.shard.resume(handle);
        }
    }

    /**
     * Answers the request. The runtime sets {@code Content-Length} (if absent) and the keep-alive
     * headers, writes and flushes; once written, the request is done. Returns false, and releases
     * {@code response}, if the request is no longer open.
     */
    public boolean respond(FullHttpResponse response) {
        return connection.respond(this, response);
    }

    /** Answers with {@code status} and a plain-text body. */
    public boolean respond(HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return respond(response);
    }

    /** Called when the response write completes; not for applications. */
    @Override
    public void operationComplete(ChannelFuture future) {
        connection.responseWritten(this, future.isSuccess());
    }

    void finish(io.routerctl.probes.snapshot.TaskState end) {
        if (phase == FINISHED) {
            return;
        }
        phase = FINISHED;
        connection.loop.shard.finish(handle, end);
        FullHttpRequest r = request;
        request = null;
        if (r != null && r.refCnt() > 0) {
            r.release();
        }
    }
}
