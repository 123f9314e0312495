package com.example.tickets;

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

/**
 * A small ticket service the way a team writes one, on plain Netty (the API common to 4.1 and 4.2),
 * that has never heard of routerctl: {@code TicketService [port] [fixed]} prints
 * {@code listening on PORT} and serves until killed; {@code fixed} runs the adapter without its bug
 * (for benchmarks).
 */
public final class TicketService {

    private TicketService() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(2);
        AuthAdapter auth = new AuthAdapter(new AuthLibrary(), args.length > 1 && args[1].equals("fixed"));
        Channel server = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("codec", new HttpServerCodec());
                        ch.pipeline().addLast("aggregator", new HttpObjectAggregator(1 << 16));
                        ch.pipeline().addLast("ticket", new TicketHandler(auth));
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        System.out.println("listening on " + ((InetSocketAddress) server.localAddress()).getPort());
        System.out.flush();
        server.closeFuture().sync();
    }
}
