package io.routerctl.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first request of an HTTP/2 connection with prior knowledge, read from the bytes a client
 * sends before the server's codec exists: written here by Netty's own frame writer (settings, a
 * window update, then the headers, padded and with a priority, as clients may), and an HTTP/1
 * request asking to upgrade.
 */
class FirstHeadersTest {

    @Test
    void theFirstHeadersFrameAfterThePrefaceGivesMethodAndPathWithoutTheQuery() {
        ByteBuf bytes = clientBytes(true);
        int before = bytes.readerIndex();
        assertThat(FirstHeaders.isPreface(bytes)).isTrue();
        assertThat(FirstHeaders.label(bytes)).isEqualTo("GET /prices/HALT");
        assertThat(bytes.readerIndex()).as("the bytes are left for the server").isEqualTo(before);
        bytes.release();
    }

    @Test
    void withoutTheirHeadersYetOrNotHttp2ThereIsNoLabel() {
        ByteBuf onlyPreface = clientBytes(false);
        assertThat(FirstHeaders.isPreface(onlyPreface)).isTrue();
        assertThat(FirstHeaders.label(onlyPreface)).isNull();
        onlyPreface.release();
        ByteBuf http1 = Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII);
        assertThat(FirstHeaders.isPreface(http1)).isFalse();
        assertThat(FirstHeaders.asksUpgrade(http1)).isFalse();
        http1.release();
    }

    @Test
    void anUpgradeToH2cIsSeenInTheHeadOnly() {
        ByteBuf upgrade = Unpooled.copiedBuffer("GET /prices/HALT HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n", StandardCharsets.US_ASCII);
        assertThat(FirstHeaders.asksUpgrade(upgrade)).isTrue();
        upgrade.release();
        ByteBuf inBody = Unpooled.copiedBuffer("POST /notes HTTP/1.1\r\nContent-Length: 3\r\n\r\nh2c", StandardCharsets.US_ASCII);
        assertThat(FirstHeaders.asksUpgrade(inBody)).as("h2c in the body, not the head").isFalse();
        inBody.release();
    }

    /** The bytes an HTTP/2 client with prior knowledge sends first; with {@code headers} its first request's. */
    private static ByteBuf clientBytes(boolean headers) {
        AtomicReference<ByteBuf> written = new AtomicReference<>(Unpooled.buffer());
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        ChannelHandlerContext ctx = ch.pipeline().firstContext();
        DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
        written.get().writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        writer.writeSettings(ctx, new Http2Settings().maxConcurrentStreams(100), ctx.newPromise());
        writer.writeWindowUpdate(ctx, 0, 1 << 20, ctx.newPromise());
        if (headers) {
            writer.writeHeaders(ctx, 1, new DefaultHttp2Headers().method("GET").path("/prices/HALT?n=1").scheme("http")
                    .authority("127.0.0.1"), 0, (short) 16, false, 4, true, ctx.newPromise());
        }
        ch.flushOutbound();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            written.get().writeBytes(b);
            b.release();
        }
        ch.finishAndReleaseAll();
        return written.get();
    }
}
