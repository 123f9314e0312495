package io.routerctl.attachtests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients of the ticket service over real sockets: a request that is answered (read to the end of
 * its response), and hung ones, each from its own source port (known, as {@code ss -tn} shows it),
 * kept open until closed.
 *
 * <h2>Thread safety</h2>
 * {@link #ask} from any thread; the hung sockets are the caller's to close.
 */
final class Clients implements AutoCloseable {

    private final int port;
    private final List<Socket> hung = new ArrayList<>();

    Clients(int port) {
        this.port = port;
    }

    /** GET {@code path} with {@code token}; returns the status line, or throws if no whole answer came. */
    String ask(String path, String token) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            send(s, path, token, true);
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            String response = new String(all, StandardCharsets.ISO_8859_1);
            if (!response.startsWith("HTTP/1.1 ")) {
                throw new IOException("no HTTP answer to " + path + ": " + response);
            }
            return response.substring(0, response.indexOf('\r'));
        }
    }

    /** Sends a request that will hang; returns the socket's source port. */
    int hang(String path, String token) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        send(s, path, token, false);
        synchronized (hung) {
            hung.add(s);
        }
        return s.getLocalPort();
    }

    private static void send(Socket s, String path, String token, boolean close) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Token: " + token + "\r\n"
                + (close ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        synchronized (hung) {
            for (Socket s : hung) {
                s.close();
            }
            hung.clear();
        }
    }
}
