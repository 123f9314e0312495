package io.routerctl.probes.attach;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.probes.internal.LineReader;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A bare socket speaking lines, for tests that send what a well-behaved client never would. */
final class RawConnection implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final SocketChannel channel;
    private final LineReader lines;

    RawConnection(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        lines = new LineReader(channel, 64 << 20);
    }

    void send(String line) throws IOException {
        write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /** The next line as JSON, or null at end of stream. */
    JsonNode read() throws IOException {
        String line = lines.readLine();
        return line == null ? null : JSON.readTree(line);
    }

    /** Sends {@code line} and reads the reply (the next line). */
    JsonNode ask(String line) throws IOException {
        send(line);
        return read();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
