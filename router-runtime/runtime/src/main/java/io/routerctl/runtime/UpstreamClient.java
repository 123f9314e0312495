package io.routerctl.runtime;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.ReferenceCountUtil;

import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A per-loop HTTP/1.1 client for calling upstream services from a request, over connections owned
 * by the same event loop (no thread hop) and kept alive for reuse.
 *
 * <p>{@link #exchange} marks the request as waiting on {@code upstream} from the start (connect
 * included), records {@code upstream-connected} once it has a connection (new or pooled),
 * {@code upstream-request-sent} once the request is flushed, and ends the wait with
 * {@code upstream-response-read}; then it calls the {@link UpstreamCallback} on the loop.
 * Connections that answered with keep-alive go back to the loop's pool (at most
 * {@link #maxIdlePerAddress()} per address; the rest are closed).
 *
 * <h2>Thread safety</h2>
 * Confined to its event loop: call {@link #exchange} on {@code context.eventLoop()} only (it
 * throws otherwise). {@link #close()} may be called from any thread.
 *
 * <h2>Allocation</h2>
 * Per exchange on a pooled connection: nothing of ours beyond Netty's encoding and decoding (the
 * connection object carries the request's state). Per new connection: the connection object, its
 * pipeline handlers and the channel. The pool is written by the loop only.
 */
public final class UpstreamClient {

    private final EventLoop eventLoop;
    private final Bootstrap bootstrap;
    private final int maxIdlePerAddress;
    private final Map<SocketAddress, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();
    private volatile boolean closed;

    UpstreamClient(EventLoop eventLoop, Class<? extends SocketChannel> channelClass, int maxIdlePerAddress) {
        this.eventLoop = eventLoop;
        this.maxIdlePerAddress = maxIdlePerAddress;
        this.bootstrap = new Bootstrap()
                .group(eventLoop)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000);
    }

    /** The loop this client belongs to. */
    public EventLoop eventLoop() {
        return eventLoop;
    }

    /** The most idle keep-alive connections kept per upstream address. */
    public int maxIdlePerAddress() {
        return maxIdlePerAddress;
    }

    /**
     * Sends {@code request} to {@code address} on behalf of {@code context} and calls {@code callback}
     * with the response or the failure, on this loop. Takes ownership of {@code request}. If the
     * request ends first (client gone), the exchange still completes; the callback's answer is then
     * ignored by {@link RequestContext#respond}.
     *
     * @throws IllegalStateException when called off this client's event loop
     */
    public void exchange(RequestContext context, SocketAddress address, FullHttpRequest request,
                         UpstreamCallback callback) {
        if (!eventLoop.inEventLoop()) {
            ReferenceCountUtil.release(request);
            throw new IllegalStateException("UpstreamClient.exchange must run on its event loop");
        }
        context.await(RuntimePoints.UPSTREAM);
        if (closed) {
            ReferenceCountUtil.release(request);
            context.resume();
            callback.onFailure(context, new IllegalStateException("upstream client closed"));
            return;
        }
        ArrayDeque<UpstreamConnection> pool = idle.get(address);
        UpstreamConnection connection;
        while (pool != null && (connection = pool.pollLast()) != null) {
            if (connection.isUsable()) {
                connection.send(context, request, callback);
                return;
            }
        }
        new UpstreamConnection(this, address).connect(bootstrap, context, request, callback);
    }

    /** Returns a keep-alive connection to the pool, or closes it if the pool is full. */
    void release(UpstreamConnection connection) {
        if (closed) {
            connection.close();
            return;
        }
        ArrayDeque<UpstreamConnection> pool = idle.computeIfAbsent(connection.address(), a -> new ArrayDeque<>());
        if (pool.size() < maxIdlePerAddress) {
            pool.addLast(connection);
        } else {
            connection.close();
        }
    }

    /** Closes the pooled connections; connections in use close when their exchange ends. */
    public void close() {
        closed = true;
        if (eventLoop.inEventLoop()) {
            closeIdle();
        } else if (!eventLoop.isShuttingDown()) {
            eventLoop.execute(this::closeIdle);
        }
    }

    private void closeIdle() {
        List<UpstreamConnection> all = new ArrayList<>();
        for (ArrayDeque<UpstreamConnection> pool : idle.values()) {
            all.addAll(pool);
            pool.clear();
        }
        for (UpstreamConnection c : all) {
            c.close();
        }
    }
}
