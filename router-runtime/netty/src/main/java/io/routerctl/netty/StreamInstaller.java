package io.routerctl.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.routerctl.probes.internal.InternalErrors;

import java.lang.reflect.Field;

/**
 * Makes each HTTP/2 stream of a tracked connection a request: Netty's
 * {@code Http2MultiplexHandler} (and the older {@code Http2MultiplexCodec}) initializes each
 * stream's child channel with the handler the service gave it; this initializer takes that
 * handler's place, adds a {@link StreamTracker} first in the stream's pipeline, then the service's
 * handler. The service's handler is put back when the connection stops being tracked.
 *
 * <p>The multiplexer keeps its stream handlers in private final fields
 * ({@code inboundStreamHandler}, {@code upgradeStreamHandler}, in Netty 4.1 and 4.2 alike), read on
 * the connection's loop when a stream starts; they are swapped on that loop, by reflection. If the
 * fields are not there (another Netty), streams are not tracked and nothing else changes.
 *
 * <h2>Allocation and threads</h2>
 * One per HTTP/2 connection; per stream one {@link StreamTracker}. On the connection's loop.
 */
@ChannelHandler.Sharable
final class StreamInstaller extends ChannelInitializer<Channel> {

    static final String[] FIELDS = {"inboundStreamHandler", "upgradeStreamHandler"};

    private final ChannelHandler multiplexer;
    private final ConnectionTracker connection;
    private final ChannelHandler original;
    private final Field field;

    private StreamInstaller(ChannelHandler multiplexer, ConnectionTracker connection, ChannelHandler original, Field field) {
        this.multiplexer = multiplexer;
        this.connection = connection;
        this.original = original;
        this.field = field;
    }

    /** Whether {@code h} is one of Netty's HTTP/2 multiplexers (by name: the class may not be loadable). */
    static boolean isMultiplexer(ChannelHandler h) {
        String n = h.getClass().getName();
        return n.endsWith("io.netty.handler.codec.http2.Http2MultiplexHandler")
                || n.endsWith("io.netty.handler.codec.http2.Http2MultiplexCodec");
    }

    /**
     * Wraps {@code multiplexer}'s inbound stream handler; returns the installer (to {@link #restore})
     * or {@code null} when it could not. Call on the connection's loop.
     */
    static StreamInstaller wrap(ChannelHandler multiplexer, ConnectionTracker connection) {
        try {
            Field f = multiplexer.getClass().getDeclaredField(FIELDS[0]);
            f.setAccessible(true);
            Object current = f.get(multiplexer);
            if (!(current instanceof ChannelHandler original) || current instanceof StreamInstaller) {
                return null;
            }
            StreamInstaller installer = new StreamInstaller(multiplexer, connection, original, f);
            f.set(multiplexer, installer);
            return installer;
        } catch (ReflectiveOperationException | RuntimeException e) {
            InternalErrors.record("netty h2 tracker", e);
            return null;
        }
    }

    /** Puts the service's stream handler back. On the connection's loop. */
    void restore() {
        try {
            if (field.get(multiplexer) == this) {
                field.set(multiplexer, original);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            InternalErrors.record("netty h2 tracker", e);
        }
    }

    @Override
    protected void initChannel(Channel stream) {
        stream.pipeline().addLast(original);
        if (!connection.tracking.isClosed() && StreamTracker.isStream(stream)) {
            stream.pipeline().addFirst(NettyTracking.STREAM_HANDLER, new StreamTracker(connection.tracking, connection));
        }
    }
}
