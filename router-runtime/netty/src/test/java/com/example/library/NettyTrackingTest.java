package com.example.library;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.routerctl.netty.NettyTracking;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.snapshot.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The library path: a team's own server (this package stands for theirs), tracked by one line on
 * its bootstrap. Real sockets; what a request leaves in the registry is what routerctl would show.
 */
class NettyTrackingTest {

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final NettyTracking tracking = NettyTracking.builder().name("tickets").attach(false).start();

    @AfterEach
    void stop() {
        tracking.close();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Answers every path but {@code /hold...}, which it keeps (as a lost callback would). */
    static final class HoldHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (request.uri().startsWith("/hold")) {
                return;
            }
            DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("ok\n", StandardCharsets.UTF_8));
            HttpUtil.setContentLength(r, 3);
            ctx.writeAndFlush(r);
        }
    }

    /** Replies to {@code ping}, ignores anything else. */
    static final class PingHandler extends SimpleChannelInboundHandler<String> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, String line) {
            if (line.equals("ping")) {
                ctx.writeAndFlush("pong\n");
            }
        }
    }

    private int serve(ChannelInitializer<Channel> init) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(init);
        tracking.track(b);
        Channel server = b.bind("127.0.0.1", 0).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Test
    void anUnansweredHttpRequestWaitsAfterTheServicesHandlerAndEndsWithItsConnection() throws Exception {
        int port = serve(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("codec", new HttpServerCodec());
                ch.pipeline().addLast("aggregator", new HttpObjectAggregator(1 << 16));
                ch.pipeline().addLast("hold", new HoldHandler());
            }
        });
        try (Socket answered = new Socket("127.0.0.1", port); Socket held = new Socket("127.0.0.1", port)) {
            send(answered, "GET /fine?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(readLine(answered.getInputStream())).isEqualTo("HTTP/1.1 200 OK");
            send(held, "GET /hold/7?token=secret HTTP/1.1\r\nHost: x\r\n\r\n");

            TaskSnapshot request = poll(t -> t.kind() == TaskKind.REQUEST && t.state() == TaskState.WAITING);
            assertThat(request.remote()).isEqualTo("127.0.0.1:" + held.getLocalPort());
            assertThat(request.label()).isEqualTo("GET /hold/7");
            assertThat(request.state()).isEqualTo(TaskState.WAITING);
            assertThat(request.waitingOn()).isEqualTo("after NettyTrackingTest$HoldHandler (hold)");
            assertThat(request.lastStep()).isEqualTo("request-read");
            assertThat(tracking.registry().find(t -> t.kind() == TaskKind.CONNECTION, 10, 0))
                    .extracting(TaskSnapshot::state).containsOnly(TaskState.IDLE);
        }
        poll(t -> true, List::isEmpty);
    }

    @Test
    void anotherProtocolIsTrackedAsOneExchangePerMessageUntilTheReply() throws Exception {
        int port = serve(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("lines", new LineBasedFrameDecoder(256));
                ch.pipeline().addLast("decoder", new StringDecoder(StandardCharsets.UTF_8));
                ch.pipeline().addLast("encoder", new StringEncoder(StandardCharsets.UTF_8));
                ch.pipeline().addLast("ping", new PingHandler());
            }
        });
        try (Socket s = new Socket("127.0.0.1", port)) {
            send(s, "ping\n");
            assertThat(readLine(s.getInputStream())).isEqualTo("pong");
            poll(t -> t.kind() == TaskKind.REQUEST, List::isEmpty);
            send(s, "hang\n");
            TaskSnapshot exchange = poll(t -> t.kind() == TaskKind.REQUEST && t.state() == TaskState.WAITING);
            assertThat(exchange.remote()).isEqualTo("127.0.0.1:" + s.getLocalPort());
            assertThat(exchange.waitingOn()).isEqualTo("after NettyTrackingTest$PingHandler (ping)");
        }
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private TaskSnapshot poll(Predicate<TaskSnapshot> which) throws InterruptedException {
        return poll(which, l -> l.size() == 1).get(0);
    }

    /** The registry's tasks matching {@code which}, polled (5 s at most) until {@code done} holds. */
    private List<TaskSnapshot> poll(Predicate<TaskSnapshot> which, Predicate<List<TaskSnapshot>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<TaskSnapshot> found;
        do {
            found = tracking.registry().find(which, 100, 0);
            if (done.test(found)) {
                return found;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the registry never showed what was expected: " + found);
    }
}
