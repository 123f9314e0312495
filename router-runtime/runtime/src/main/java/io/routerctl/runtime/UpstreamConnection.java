package io.routerctl.runtime;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;

/**
 * One keep-alive connection of an {@link UpstreamClient}, carrying one exchange at a time.
 *
 * <h2>Thread safety and allocation</h2>
 * Confined to the client's event loop, which alone writes its fields. Allocated once per upstream
 * connection with two small listeners; an exchange on it allocates nothing of ours.
 */
final class UpstreamConnection extends ChannelInboundHandlerAdapter {

    private static final int MAX_RESPONSE_BYTES = 16 << 20;

    private final UpstreamClient client;
    private final SocketAddress address;
    private Channel channel;
    private RequestContext context;
    private UpstreamCallback callback;
    private FullHttpRequest pendingRequest;

    private final ChannelFutureListener onConnect = this::connected;
    private final ChannelFutureListener onSent = this::sent;

    UpstreamConnection(UpstreamClient client, SocketAddress address) {
        this.client = client;
        this.address = address;
    }

    SocketAddress address() {
        return address;
    }

    boolean isUsable() {
        return channel != null && channel.isActive() && context == null;
    }

    void connect(Bootstrap bootstrap, RequestContext ctx, FullHttpRequest request, UpstreamCallback cb) {
        this.context = ctx;
        this.callback = cb;
        this.pendingRequest = request;
        bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_RESPONSE_BYTES),
                        UpstreamConnection.this);
            }
        }).connect(address).addListener(onConnect);
    }

    private void connected(ChannelFuture f) {
        if (!f.isSuccess()) {
            FullHttpRequest request = pendingRequest;
            pendingRequest = null;
            ReferenceCountUtil.release(request);
            fail(f.cause());
            return;
        }
        channel = f.channel();
        FullHttpRequest request = pendingRequest;
        pendingRequest = null;
        context.step(RuntimePoints.UPSTREAM_CONNECTED);
        write(request);
    }

    void send(RequestContext ctx, FullHttpRequest request, UpstreamCallback cb) {
        this.context = ctx;
        this.callback = cb;
        ctx.step(RuntimePoints.UPSTREAM_CONNECTED);
        write(request);
    }

    private void write(FullHttpRequest request) {
        HttpUtil.setKeepAlive(request, true);
        if (!request.headers().contains(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setContentLength(request, request.content().readableBytes());
        }
        channel.writeAndFlush(request).addListener(onSent);
    }

    private void sent(ChannelFuture f) {
        if (f.isSuccess()) {
            if (context != null) {
                context.step(RuntimePoints.UPSTREAM_REQUEST_SENT);
            }
        } else {
            f.channel().close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpResponse) || context == null) {
            ReferenceCountUtil.release(msg);
            return;
        }
        FullHttpResponse response = (FullHttpResponse) msg;
        RequestContext rc = context;
        UpstreamCallback cb = callback;
        context = null;
        callback = null;
        if (HttpUtil.isKeepAlive(response) && response.decoderResult().isSuccess()) {
            client.release(this);
        } else {
            channel.close();
        }
        // One clock read for the resume and whatever the application records answering it.
        rc.shard().beginEvent();
        try {
            rc.resume(RuntimePoints.UPSTREAM_RESPONSE_READ);
            cb.onResponse(rc, response);
        } finally {
            rc.shard().endEvent();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new ClosedChannelException());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private void fail(Throwable cause) {
        RequestContext rc = context;
        UpstreamCallback cb = callback;
        context = null;
        callback = null;
        if (rc != null) {
            rc.resume();
            cb.onFailure(rc, cause);
        }
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }
}
