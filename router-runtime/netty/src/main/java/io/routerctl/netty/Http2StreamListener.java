package io.routerctl.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.collection.IntObjectHashMap;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskState;

/**
 * Makes each HTTP/2 stream of a server connection whose codec is not a multiplexer a request (gRPC's
 * {@code NettyServerHandler}, Vert.x's HTTP/2 handler, an {@code Http2FrameCodec} read by the
 * service's own handler): it takes the place of the codec's frame listener, delegating every frame,
 * and listens to the codec's connection for streams closing. A stream is a request task under its
 * connection from its first HEADERS frame until it closes (or is reset), labelled from its
 * {@code :path} ({@code example.Greeter/SayHello} for gRPC, whose content type says so; method and
 * path otherwise), with steps for the headers and each message read. Around each frame's delegate
 * the loop's {@link Dispatch} carries the stream's task, so handler steps, futures and a framework
 * part's calls ({@link HandOff}) are the stream's. The service's listener is put back when the
 * connection stops being tracked.
 *
 * <h2>Allocation and threads</h2>
 * One per HTTP/2 connection, written on its event loop only (a codec calls its listener on that
 * loop). Per stream: one map entry, its {@link Stream} and its label string; per frame nothing.
 */
final class Http2StreamListener extends Http2FrameListenerDecorator {

    static final ProbePoint HEADERS_READ = ProbePoint.observed("headers-read", ProbePoint.Kind.STEP,
            ConnectionTracker.WHERE);
    static final ProbePoint MESSAGE_READ = ProbePoint.observed("message-read", ProbePoint.Kind.STEP,
            ConnectionTracker.WHERE);
    static final ProbePoint RESET = ProbePoint.observed("reset-by-peer", ProbePoint.Kind.STEP,
            ConnectionTracker.WHERE);

    /** An {@code AsciiString}: some codecs' headers (gRPC's) take no other kind of name. */
    private static final io.netty.util.AsciiString CONTENT_TYPE = io.netty.util.AsciiString.cached("content-type");

    private final ConnectionTracker connection;
    private final TaskShard shard;
    private final Http2ConnectionHandler codec;
    private final ChannelHandlerContext codecContext;
    private final IntObjectHashMap<Stream> streams = new IntObjectHashMap<>();
    private final Closing closing = new Closing();

    private Http2StreamListener(ConnectionTracker connection, Http2ConnectionHandler codec,
                                ChannelHandlerContext codecContext, Http2FrameListener original) {
        super(original);
        this.connection = connection;
        this.shard = connection.shard;
        this.codec = codec;
        this.codecContext = codecContext;
    }

    /**
     * Puts a listener in front of {@code codec}'s (a server's, with no multiplexer after it); returns
     * it, or {@code null} when the codec is a client's or already has one. On the connection's loop.
     */
    static Http2StreamListener install(ConnectionTracker connection, io.netty.channel.ChannelHandler handler,
                                       ChannelHandlerContext codecContext) {
        try {
            if (!(handler instanceof Http2ConnectionHandler codec) || codecContext == null) {
                return null;
            }
            Http2ConnectionDecoder decoder = codec.decoder();
            Http2FrameListener current = decoder.frameListener();
            if (!codec.connection().isServer() || current == null || current instanceof Http2StreamListener) {
                return null;
            }
            Http2StreamListener l = new Http2StreamListener(connection, codec, codecContext, current);
            decoder.frameListener(l);
            codec.connection().addListener(l.closing);
            l.adoptOpenStreams();
            return l;
        } catch (RuntimeException | LinkageError e) {
            InternalErrors.record("netty h2 tracker", e);
            return null;
        }
    }

    /**
     * Streams open before the listener came: requests whose start routerctl did not see, or the
     * upgraded request of a connection tracked from its start (which keeps its task).
     */
    private void adoptOpenStreams() throws RuntimeException {
        try {
            codec.connection().forEachActiveStream(stream -> {
                if (!stream.isHeadersSent() && !streams.containsKey(stream.id())
                        && codec.connection().remote().isValidStreamId(stream.id())) {
                    long read = connection.takeExchange();
                    if (read != TaskShard.NO_TASK) {
                        // An upgraded HTTP/1 request, read since tracking began: its task goes on.
                        streams.put(stream.id(), new Stream(read));
                        return true;
                    }
                    long t = start(stream.id()).task;
                    String label = connection.tracking.openStreamLabel(codec, stream);
                    shard.label(t, label != null ? label : HttpRequestTracker.READ_BEFORE_ATTACH);
                    shard.beganEarlier(t);
                }
                return true;
            });
        } catch (Http2Exception e) {
            InternalErrors.record("netty h2 tracker", e);
        }
    }

    /** A stream of the connection: its request task, and what must live as long as it (a handed-off call). */
    static final class Stream {
        final long task;
        /** Written on the loop; read by nobody but the garbage collector's reachability. */
        Object attachment;

        Stream(long task) {
            this.task = task;
        }
    }

    /** Puts the service's listener back and stops listening to the connection. On its loop. */
    void restore() {
        try {
            Http2ConnectionDecoder decoder = codec.decoder();
            if (decoder.frameListener() == this) {
                decoder.frameListener(listener);
            }
            codec.connection().removeListener(closing);
        } catch (RuntimeException | LinkageError e) {
            InternalErrors.record("netty h2 tracker", e);
        }
        streams.forEach((id, stream) -> shard.finish(stream.task, TaskState.ABANDONED));
        streams.clear();
    }

    /** The codec whose listener this is. */
    io.netty.channel.ChannelHandler codec() {
        return codec;
    }

    private Stream start(int streamId) {
        Stream s = new Stream(shard.register(TaskKind.REQUEST, connection.connection,
                codecContext.channel().remoteAddress(), codecContext.channel().localAddress()));
        streams.put(streamId, s);
        return s;
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                              boolean endOfStream) throws Http2Exception {
        Dispatch d = headers(streamId, headers, endOfStream);
        try {
            listener.onHeadersRead(ctx, streamId, headers, padding, endOfStream);
        } finally {
            settle(d);
        }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                              short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
        Dispatch d = headers(streamId, headers, endOfStream);
        try {
            listener.onHeadersRead(ctx, streamId, headers, streamDependency, weight, exclusive, padding, endOfStream);
        } finally {
            settle(d);
        }
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream)
            throws Http2Exception {
        Dispatch d = null;
        try {
            Stream s = streams.get(streamId);
            if (s != null) {
                d = begin(s, endOfStream);
                shard.step(s.task, MESSAGE_READ);
                if (endOfStream) {
                    shard.step(s.task, HttpRequestTracker.REQUEST_READ);
                }
            }
        } catch (RuntimeException e) {
            InternalErrors.record("netty h2 tracker", e);
        }
        try {
            return listener.onDataRead(ctx, streamId, data, padding, endOfStream);
        } finally {
            settle(d);
        }
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) throws Http2Exception {
        try {
            listener.onRstStreamRead(ctx, streamId, errorCode);
        } finally {
            Stream s = streams.remove(streamId);
            if (s != null) {
                shard.step(s.task, RESET);
                shard.finish(s.task, TaskState.ABANDONED);
            }
        }
    }

    /** A stream's HEADERS: its task made (and labelled) on the first, the dispatch opened for it. */
    private Dispatch headers(int streamId, Http2Headers headers, boolean endOfStream) {
        try {
            if (connection.tracking.isClosed()) {
                return null;
            }
            Stream s = streams.get(streamId);
            if (s == null) {
                s = start(streamId);
                String label = label(headers);
                if (label != null) {
                    shard.label(s.task, label);
                }
            }
            Dispatch d = begin(s, endOfStream);
            shard.step(s.task, HEADERS_READ);
            if (endOfStream) {
                shard.step(s.task, HttpRequestTracker.REQUEST_READ);
            }
            return d;
        } catch (RuntimeException e) {
            InternalErrors.record("netty h2 tracker", e);
            return null;
        }
    }

    /** The label of a stream from its request headers: a gRPC method's full name, else method and path. */
    static String label(Http2Headers headers) {
        CharSequence path = headers.path();
        if (path == null) {
            return null;
        }
        CharSequence type = headers.get(CONTENT_TYPE);
        if (type != null && type.toString().startsWith("application/grpc") && path.length() > 1 && path.charAt(0) == '/') {
            return HttpRequestTracker.label("", path).strip().substring(1);
        }
        CharSequence method = headers.method();
        return method == null ? null : HttpRequestTracker.label(method, path);
    }

    /** The loop's dispatch (opened by the connection's tracker, first in the pipeline), now for stream task {@code t}. */
    private Dispatch begin(Stream s, boolean endOfStream) {
        Dispatch d = Dispatch.ifOpen();
        if (d == null) {
            return null;
        }
        d.begin(s.task, endOfStream, codecContext, s);
        return d;
    }

    private void settle(Dispatch d) {
        if (d == null) {
            return;
        }
        try {
            ConnectionTracker.settle(connection.tracking, shard, d, codecContext, connection::lastApplicationHandler);
        } catch (RuntimeException | LinkageError e) {
            InternalErrors.record("netty h2 tracker", e);
        }
    }

    /** The codec's connection: a stream that closes (answered, or reset by either side) ends its request. */
    private final class Closing extends Http2ConnectionAdapter {
        @Override
        public void onStreamClosed(Http2Stream stream) {
            Stream s = streams.remove(stream.id());
            if (s != null) {
                boolean answered = stream.isHeadersSent();
                if (answered) {
                    shard.step(s.task, HttpRequestTracker.RESPONSE_WRITTEN);
                }
                shard.finish(s.task, answered ? TaskState.DONE : TaskState.ABANDONED);
            }
        }
    }
}
