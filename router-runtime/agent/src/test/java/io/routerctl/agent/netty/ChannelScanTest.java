package io.routerctl.agent.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent finds what was open before it came: a server's event loops from the live threads, and
 * on each loop the channels registered with it, whatever the transport keeps them in.
 */
class ChannelScanTest {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void findsTheLoopsAndTheChannelsOpenOnThem(String transport) throws Exception {
        if (transport.equals("epoll")) {
            Assumptions.assumeTrue(Epoll.isAvailable(), "no native epoll here");
        }
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1,
                transport.equals("nio") ? NioIoHandler.newFactory() : EpollIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2,
                transport.equals("nio") ? NioIoHandler.newFactory() : EpollIoHandler.newFactory());
        List<Socket> clients = new ArrayList<>();
        try {
            Channel server = new ServerBootstrap().group(boss, workers)
                    .channel(transport.equals("nio") ? NioServerSocketChannel.class : EpollServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter());
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            for (int i = 0; i < 3; i++) {
                clients.add(new Socket("127.0.0.1", port));
            }
            List<Integer> clientPorts = clients.stream().map(Socket::getLocalPort).toList();
            List<Integer> seen = new ArrayList<>();
            List<Channel> servers = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < 3 && System.nanoTime() < deadline) {
                seen.clear();
                servers.clear();
                for (EventLoop loop : ChannelScan.findLoops()) {
                    CompletableFuture<List<Channel>> found = new CompletableFuture<>();
                    loop.execute(() -> found.complete(ChannelScan.channelsOf(loop)));
                    for (Channel ch : found.get(5, TimeUnit.SECONDS)) {
                        if (((InetSocketAddress) ch.localAddress()).getPort() != port) {
                            continue; // another test's
                        }
                        if (ch instanceof ServerChannel) {
                            servers.add(ch);
                        } else {
                            seen.add(((InetSocketAddress) ch.remoteAddress()).getPort());
                        }
                    }
                }
            }
            assertThat(seen).containsExactlyInAnyOrderElementsOf(clientPorts);
            assertThat(servers).as("the server channel, whose accepted channels the agent tracks from then on")
                    .containsExactly(server);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** One of the application's many objects, as a Spring context's beans behind a thread's runnable. */
    static final class Bean {
        final int id;

        Bean(int id) {
            this.id = id;
        }
    }

    @Test
    void aThreadThatLeadsIntoTheWholeApplicationIsWalkedOnlyAShortWayWhileALoopsThreadFindsItsLoop() throws Exception {
        Bean[] app = new Bean[100_000];
        for (int i = 0; i < app.length; i++) {
            app[i] = new Bean(i);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Thread busy = new Thread(() -> {
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(app).isNotNull();
        }, "application-worker");
        busy.start();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EventLoop loop = group.next();
            loop.submit(() -> { }).sync(); // its thread runs
            assertThat(ChannelScan.walk(busy, o -> o instanceof EventLoop, o -> { }, f -> true,
                    ChannelScan.THREAD_VISITS)).as("objects visited").isEqualTo(ChannelScan.THREAD_VISITS);
            assertThat(ChannelScan.walkThread(busy, o -> { }, new HashMap<>()))
                    .as("objects a thread's walk visits: the thread, its runnable, the latch and the array it holds")
                    .isEqualTo(4);
            assertThat(ChannelScan.findLoops()).contains(loop);
        } finally {
            stop.countDown();
            busy.join();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** An application's thread factory, which wraps each thread's runnable in its own. */
    static final class Named implements Runnable {
        private final Runnable task;

        Named(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            task.run();
        }
    }

    @Test
    void aLoopWhoseThreadAnApplicationsFactoryMadeIsFound() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                (ThreadFactory) r -> new Thread(new Named(r), "app-loop"), NioIoHandler.newFactory());
        try {
            EventLoop loop = group.next();
            loop.submit(() -> { }).sync();
            assertThat(ChannelScan.findLoops()).contains(loop);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
