package io.routerctl.console.testing;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;

/**
 * A live process that is not a routerctl target ({@code sleep}), whose pid names a socket we bind
 * ourselves in the attach directory: a target that accepts but never says hello, or (once the
 * channel is closed, leaving the file) one whose socket is dead.
 */
public final class LivePid implements AutoCloseable {

    private final Process process;
    private ServerSocketChannel channel;

    public LivePid() throws IOException {
        this.process = new ProcessBuilder("sleep", "120").start();
    }

    public long pid() {
        return process.pid();
    }

    /** Binds {@code <dir>/<pid>.sock} and leaves connections unanswered. */
    public Path silentSocket(Path dir) throws IOException {
        Path socket = dir.resolve(pid() + ".sock");
        channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socket));
        return socket;
    }

    /** A socket file at {@code <dir>/<pid>.sock} that nobody listens on. */
    public Path deadSocket(Path dir) throws IOException {
        Path socket = silentSocket(dir);
        channel.close();
        channel = null;
        return socket;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
        process.destroyForcibly();
    }
}
