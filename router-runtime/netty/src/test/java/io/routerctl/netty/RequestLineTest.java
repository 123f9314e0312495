package io.routerctl.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The label of a request read before any HTTP codec is in the pipeline (a server that adds its
 * codec on the first bytes): its method and path from the request line, never from bytes that are
 * not one, and without moving the buffer.
 */
class RequestLineTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "GET /prices/HALT HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n|GET /prices/HALT",
            "POST /orders?id=7&x=1 HTTP/1.1\\r\\n|POST /orders",
            "DELETE /a/b/c HTTP/1.0\\r\\n|DELETE /a/b/c",
            "PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n|PRI *",
            "GET /no-version-yet|null",
            "get /lower HTTP/1.1\\r\\n|null",
            "GET  /two-spaces HTTP/1.1\\r\\n|null",
            "\\u0016\\u0003\\u0001 TLS hello|null",
            "HELLO|null",
            "GET /caf\\u00e9 HTTP/1.1\\r\\n|null",
    })
    void aRequestLineGivesMethodAndPathAndAnythingElseNothing(String bytes, String label) {
        String text = unescape(bytes);
        ByteBuf buf = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        int reader = buf.readerIndex();
        assertThat(ConnectionTracker.requestLine(buf)).isEqualTo(label);
        assertThat(buf.readerIndex()).isEqualTo(reader);
        buf.release();
    }

    /** The table's {@code \\r}, {@code \\n} and {@code \\uXXXX} as the characters they stand for. */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                if (n == 'r' || n == 'n') {
                    b.append(n == 'r' ? '\r' : '\n');
                    i++;
                    continue;
                }
                if (n == 'u' && i + 5 < s.length()) {
                    b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                    i += 5;
                    continue;
                }
            }
            b.append(c);
        }
        return b.toString();
    }
}
