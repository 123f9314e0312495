package io.routerctl.probes.attach;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the client says when a target is missing, silent, or speaks something else. */
class AttachClientTest {

    @TempDir
    Path tmp;

    @Test
    void aMissingSocketMeansNoProcessIsListening() {
        Path socket = tmp.resolve("42.sock");
        assertThatThrownBy(() -> AttachClient.connect(socket, Duration.ofSeconds(5)))
                .isInstanceOf(AttachException.class)
                .hasMessage("no process is listening on " + socket);
    }

    @Test
    void aTargetThatNeverSaysHelloTimesOut() throws Exception {
        Path socket = tmp.resolve("silent.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            assertThatThrownBy(() -> AttachClient.connect(socket, Duration.ofMillis(300)))
                    .isInstanceOf(AttachException.class)
                    .hasMessage(socket + " sent no hello within 300ms");
        }
    }

    @Test
    void aTargetThatHangsUpAtOnceIsReportedInOneLine() throws Exception {
        Path socket = tmp.resolve("rude.sock");
        try (ServerSocketChannel rude = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            rude.bind(UnixDomainSocketAddress.of(socket));
            Thread closer = new Thread(() -> {
                try (SocketChannel c = rude.accept()) {
                    c.shutdownOutput();
                } catch (Exception ignored) {
                    // The test fails on the client side if this went wrong.
                }
            });
            closer.start();
            assertThatThrownBy(() -> AttachClient.connect(socket, Duration.ofSeconds(10)))
                    .isInstanceOf(AttachException.class)
                    .hasMessageStartingWith(socket + " closed the connection before its hello");
            closer.join();
        }
    }

    @Test
    void aTargetOfAnotherProtocolVersionIsRefused() throws Exception {
        Path socket = tmp.resolve("future.sock");
        try (ServerSocketChannel future = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            future.bind(UnixDomainSocketAddress.of(socket));
            Thread greeter = new Thread(() -> {
                try (SocketChannel c = future.accept()) {
                    c.write(ByteBuffer.wrap("{\"v\":2,\"type\":\"hello\",\"target\":{}}\n".getBytes(StandardCharsets.UTF_8)));
                    c.read(ByteBuffer.allocate(1));
                } catch (Exception ignored) {
                    // The client closes on us: expected.
                }
            });
            greeter.start();
            assertThatThrownBy(() -> AttachClient.connect(socket, Duration.ofSeconds(10)))
                    .isInstanceOf(AttachException.class)
                    .hasMessageContaining("speaks another protocol");
            greeter.join();
        }
    }

    @Test
    void aReplyOverTheCapEndsTheConnectionInsteadOfFillingTheHeap() throws Exception {
        Path socket = tmp.resolve("runaway.sock");
        try (ServerSocketChannel runaway = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            runaway.bind(UnixDomainSocketAddress.of(socket));
            Thread server = new Thread(() -> {
                try (SocketChannel c = runaway.accept()) {
                    c.write(ByteBuffer.wrap(("{\"v\":1,\"type\":\"hello\",\"target\":{\"pid\":1,\"name\":\"x\","
                            + "\"loops\":1,\"protocol\":1}}\n").getBytes(StandardCharsets.UTF_8)));
                    c.read(ByteBuffer.allocate(4096));
                    ByteBuffer chunk = ByteBuffer.wrap(" ".repeat(1 << 20).getBytes(StandardCharsets.UTF_8));
                    c.write(ByteBuffer.wrap("{\"v\":1,\"id\":1,\"type\":\"result\",\"op\":\"points\",\"result\":".getBytes(StandardCharsets.UTF_8)));
                    for (int mib = 0; mib < 40; mib++) {
                        chunk.rewind();
                        while (chunk.hasRemaining()) {
                            c.write(chunk);
                        }
                    }
                } catch (Exception ignored) {
                    // The client hangs up past its cap: expected.
                }
            });
            server.start();
            try (AttachClient client = AttachClient.connect(socket, Duration.ofSeconds(10))) {
                assertThatThrownBy(client::points).isInstanceOf(AttachException.class)
                        .hasMessage("the target sent a reply longer than 32 MiB; closing the connection");
            }
            server.join(10_000);
        }
    }
}
