package io.routerctl.probes.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads {@code \n}-terminated UTF-8 lines from a blocking channel, refusing lines longer than a cap
 * as soon as the cap is passed, without buffering the excess.
 *
 * <p>Reads straight from the channel rather than through {@code Channels.newInputStream}: that
 * stream holds the channel's blocking lock while it waits for input, which would stop another
 * thread from writing to the same socket meanwhile.
 *
 * <h2>Thread safety</h2>
 * One reading thread at a time; {@link #partialSinceNanos()} may be asked from any thread.
 * Allocates a line buffer that grows up to the cap.
 */
public final class LineReader {

    /** A line passed the cap; the stream is then out of step and should be closed. */
    public static final class LineTooLongException extends IOException {
        public LineTooLongException(int cap) {
            super("a line is longer than " + cap + " bytes");
        }
    }

    private final ReadableByteChannel channel;
    private final int maxLineBytes;
    private final ByteBuffer input = ByteBuffer.allocate(64 * 1024);
    private byte[] line = new byte[1024];
    private int lineLength;
    /** {@link #partialSinceNanos()} between lines. */
    public static final long NOT_MID_LINE = Long.MIN_VALUE;

    /** When the line being read got its first byte; {@link #NOT_MID_LINE} between lines. */
    private volatile long partialSince = NOT_MID_LINE;

    public LineReader(ReadableByteChannel channel, int maxLineBytes) {
        this.channel = channel;
        this.maxLineBytes = maxLineBytes;
        input.flip();
    }

    /**
     * The next line without its terminator ({@code \r\n} is accepted too), or {@code null} at end of
     * stream. A last line without terminator is returned as a line.
     *
     * @throws LineTooLongException past the cap
     */
    public String readLine() throws IOException {
        while (true) {
            while (input.hasRemaining()) {
                byte b = input.get();
                if (b == '\n') {
                    int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                    String s = new String(line, 0, end, StandardCharsets.UTF_8);
                    lineLength = 0;
                    partialSince = NOT_MID_LINE;
                    return s;
                }
                if (lineLength == 0) {
                    partialSince = System.nanoTime();
                }
                if (lineLength == maxLineBytes) {
                    throw new LineTooLongException(maxLineBytes);
                }
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, (int) Math.min((long) line.length * 2, maxLineBytes));
                }
                line[lineLength++] = b;
            }
            input.clear();
            int n = channel.read(input);
            input.flip();
            if (n < 0) {
                if (lineLength == 0) {
                    return null;
                }
                String s = new String(line, 0, lineLength, StandardCharsets.UTF_8);
                lineLength = 0;
                partialSince = NOT_MID_LINE;
                return s;
            }
        }
    }

    /**
     * When ({@link System#nanoTime()}) the line being read got its first byte, or
     * {@link #NOT_MID_LINE} when no line is half read: a peer that starts a line and never ends it
     * would hold a reader forever.
     */
    public long partialSinceNanos() {
        return partialSince;
    }
}
