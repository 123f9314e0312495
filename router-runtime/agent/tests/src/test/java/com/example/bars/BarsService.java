package com.example.bars;

import com.example.tickets.AuthLibrary;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A service the way a team on Java 21 writes one: Netty reads the requests, and each is handed to a
 * virtual thread that blocks on the team's future adapter ({@link TokenCheck}, which loses the
 * answer for a token the auth library has cached). It has never heard of routerctl:
 * {@code BarsService [port] [fixed]} prints {@code listening on PORT} and serves until killed;
 * {@code fixed} runs the adapter without its bug (for benchmarks). Needs Java 21 (its executor is looked up by name only because these tests compile for 17).
 */
public final class BarsService {

    private BarsService() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        ExecutorService virtualThreads = (ExecutorService) Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(2);
        TokenCheck auth = new TokenCheck(new AuthLibrary(), args.length > 1 && args[1].equals("fixed"));
        Channel server = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("codec", new HttpServerCodec());
                        ch.pipeline().addLast("aggregator", new HttpObjectAggregator(1 << 16));
                        ch.pipeline().addLast("bars", new BarsHandler(auth, virtualThreads));
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        System.out.println("listening on " + ((InetSocketAddress) server.localAddress()).getPort());
        System.out.flush();
        server.closeFuture().sync();
    }
}
