package io.routerctl.console.testing;

import io.routerctl.probes.internal.LineReader;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A client that believes anything, in its own process: {@code RawLineMain SOCKET} connects,
 * prints the first line the other end sends, and exits. For tests of what a server tells a peer
 * it refuses, without the checks routerctl's own client makes first.
 */
public final class RawLineMain {

    private RawLineMain() {
    }

    public static void main(String[] args) throws Exception {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(Path.of(args[0])));
            System.out.println(new LineReader(channel, 1 << 16).readLine());
        }
    }
}
