package io.routerctl.runtime;

import io.netty.channel.ChannelFactory;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The I/O transport: native epoll (with {@code SO_REUSEPORT}, one listening socket per loop) when
 * {@link Epoll#isAvailable()}, else NIO (one listening socket, connections spread over the loops).
 *
 * <h2>Thread safety</h2>
 * Immutable.
 */
public enum Transport {
    EPOLL("epoll", EpollServerSocketChannel.class, EpollSocketChannel.class),
    NIO("nio", NioServerSocketChannel.class, NioSocketChannel.class);

    private final String displayName;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends SocketChannel> clientChannel;

    Transport(String displayName, Class<? extends ServerChannel> serverChannel,
              Class<? extends SocketChannel> clientChannel) {
        this.displayName = displayName;
        this.serverChannel = serverChannel;
        this.clientChannel = clientChannel;
    }

    /** Epoll if {@code preferEpoll} and it is available here, else NIO. */
    public static Transport select(boolean preferEpoll) {
        return preferEpoll && Epoll.isAvailable() ? EPOLL : NIO;
    }

    /** How it is shown to users: {@code epoll} or {@code nio}. */
    public String displayName() {
        return displayName;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    /**
     * Listening sockets of the address family of {@code bindHost}: an IPv4 host gets an IPv4
     * socket, so accepted connections show as {@code 127.0.0.1:40112}, exactly as {@code ss -tn}
     * lists them, not as IPv4-mapped IPv6 addresses ({@code [::ffff:127.0.0.1]:40112}) of a
     * dual-stack socket.
     */
    public ChannelFactory<ServerChannel> serverChannelFactory(String bindHost) throws java.net.UnknownHostException {
        SocketProtocolFamily family = java.net.InetAddress.getByName(bindHost) instanceof java.net.Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        return this == EPOLL
                ? () -> new EpollServerSocketChannel(family)
                : () -> new NioServerSocketChannel(java.nio.channels.spi.SelectorProvider.provider(), family);
    }

    public Class<? extends SocketChannel> clientChannel() {
        return clientChannel;
    }

    /** A fresh factory for this transport's I/O handlers. */
    public IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** Whether each loop gets its own listening socket (SO_REUSEPORT). */
    public boolean listensPerLoop() {
        return this == EPOLL;
    }
}
