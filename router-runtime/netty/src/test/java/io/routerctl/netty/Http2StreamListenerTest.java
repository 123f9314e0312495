package io.routerctl.netty;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Http2StreamListenerTest {

    @Test
    void aGrpcCallIsLabelledWithItsFullMethodName() {
        DefaultHttp2Headers h = new DefaultHttp2Headers();
        h.method("POST").path("/example.Rates/Quote").add("content-type", "application/grpc+proto");
        assertThat(Http2StreamListener.label(h)).isEqualTo("example.Rates/Quote");
    }

    @Test
    void anyOtherStreamIsLabelledWithMethodAndPathWithoutItsQuery() {
        DefaultHttp2Headers h = new DefaultHttp2Headers();
        h.method("GET").path("/quotes/7?user=me").add("content-type", "application/json");
        assertThat(Http2StreamListener.label(h)).isEqualTo("GET /quotes/7");
    }

    @Test
    void headersWithoutAPathGiveNoLabel() {
        assertThat(Http2StreamListener.label(new DefaultHttp2Headers().method("GET"))).isNull();
    }
}
