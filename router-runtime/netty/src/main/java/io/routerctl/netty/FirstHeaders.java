package io.routerctl.netty;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The first request of an HTTP/2 connection with prior knowledge, read from its bytes before any
 * codec is in the pipeline (a server that adds its HTTP/2 codec only after looking at the first
 * bytes, as Vert.x does): whether the bytes start with the client's preface, and the method and
 * path of the first complete {@code HEADERS} frame after it ({@code GET /prices/HALT}). The first
 * header block of a connection needs no earlier HPACK state, so it can be decoded on its own, with
 * a decoder of its own.
 *
 * <h2>Allocation and threads</h2>
 * {@link #isPreface} reads the bytes in place and allocates nothing; {@link #label} (once per such
 * connection) a decoder and the label. On the connection's loop; the buffer's indexes are not moved.
 */
final class FirstHeaders {

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADERS = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;
    /** Frames looked at after the preface before giving up (settings, window update, headers). */
    private static final int MAX_FRAMES = 8;

    private FirstHeaders() {
    }

    /** Whether {@code bytes} start with the HTTP/2 client connection preface. */
    static boolean isPreface(ByteBuf bytes) {
        if (bytes.readableBytes() < PREFACE.length) {
            return false;
        }
        int start = bytes.readerIndex();
        for (int i = 0; i < PREFACE.length; i++) {
            if (bytes.getByte(start + i) != PREFACE[i]) {
                return false;
            }
        }
        return true;
    }

    /** The longest HTTP/1 head looked at for an upgrade. */
    static final int MAX_HEAD = 4096;
    private static final byte[] H2C = "h2c".getBytes(StandardCharsets.US_ASCII);

    /**
     * Whether an HTTP/1 request's bytes (its head, at most {@value #MAX_HEAD} bytes) ask to upgrade
     * to HTTP/2 over cleartext: an {@code Upgrade} header naming {@code h2c}, looked for as the
     * token itself in the head.
     */
    static boolean asksUpgrade(ByteBuf bytes) {
        int start = bytes.readerIndex();
        int end = Math.min(bytes.writerIndex(), start + MAX_HEAD) - H2C.length;
        outer:
        for (int i = start; i <= end; i++) {
            if (bytes.getByte(i) == '\r' && i + 3 < bytes.writerIndex() && bytes.getByte(i + 2) == '\r') {
                return false; // the end of the head
            }
            for (int k = 0; k < H2C.length; k++) {
                if ((bytes.getByte(i + k) | 0x20) != H2C[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** {@code GET /prices/HALT} from the first complete HEADERS frame after the preface, or null. */
    static String label(ByteBuf bytes) {
        try {
            return Decoding.label(bytes, bytes.readerIndex() + PREFACE.length);
        } catch (Exception | LinkageError e) {
            return null; // not decodable: the request goes unlabelled, as before
        }
    }

    /** Apart, so that a service without Netty's HTTP/2 codec never loads what it names. */
    private static final class Decoding {
        static String label(ByteBuf b, int from) throws io.netty.handler.codec.http2.Http2Exception {
            int end = b.writerIndex();
            int i = from;
            for (int frames = 0; frames < MAX_FRAMES && i + 9 <= end; frames++) {
                int length = b.getUnsignedMedium(i);
                int type = b.getUnsignedByte(i + 3);
                int flags = b.getUnsignedByte(i + 4);
                int stream = b.getInt(i + 5) & 0x7fffffff;
                int payload = i + 9;
                if (length > end - payload) {
                    return null;
                }
                if (type == HEADERS) {
                    int p = payload;
                    int payloadEnd = payload + length;
                    if ((flags & PADDED) != 0) {
                        payloadEnd -= b.getUnsignedByte(p);
                        p++;
                    }
                    if ((flags & PRIORITY) != 0) {
                        p += 5;
                    }
                    if ((flags & END_HEADERS) == 0 || p > payloadEnd) {
                        return null; // continued in CONTINUATION frames: not followed
                    }
                    io.netty.handler.codec.http2.Http2Headers h = new io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder(false)
                            .decodeHeaders(stream, b.slice(p, payloadEnd - p));
                    CharSequence method = h.method();
                    CharSequence path = h.path();
                    return method == null || path == null ? null : HttpRequestTracker.label(method, path);
                }
                i = payload + length;
            }
            return null;
        }
    }
}
