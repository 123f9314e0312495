package com.example.bars;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;

/** Hands each request to a virtual thread, which checks the token (blocking) and answers. */
final class BarsHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final TokenCheck auth;
    private final ExecutorService threads;

    BarsHandler(TokenCheck auth, ExecutorService threads) {
        this.auth = auth;
        this.threads = threads;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String token = request.headers().get("X-Token", "anonymous");
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String path = request.uri();
        threads.submit(() -> serve(ctx, token, path, keepAlive));
    }

    private void serve(ChannelHandlerContext ctx, String token, String path, boolean keepAlive) {
        boolean ok;
        try {
            ok = auth.check(token).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException e) {
            ok = false;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                ok ? HttpResponseStatus.OK : HttpResponseStatus.FORBIDDEN,
                Unpooled.copiedBuffer("{\"bar\":\"" + path + "\"}\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
