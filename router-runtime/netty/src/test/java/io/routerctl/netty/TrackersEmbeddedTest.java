package io.routerctl.netty;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Promise;
import com.example.embedded.Chaining;
import com.example.embedded.Holding;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.testing.AllowPendingTasks;
import io.routerctl.probes.testing.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trackers on Netty's {@code EmbeddedChannel}, one message at a time, on a frozen clock: what a
 * connection, an HTTP/1.1 request, an exchange of another protocol and an HTTP/2 stream register,
 * the steps of the service's handlers, what a request left waiting waits on, and that removing the
 * trackers leaves the pipeline as the service made it.
 */
class TrackersEmbeddedTest {

    final ManualTicker ticker = new ManualTicker();
    final TaskRegistry registry = new TaskRegistry(ticker, true);
    final NettyTracking tracking = NettyTracking.builder().registry(registry).attach(false).handlerSteps(true).start();

    @AfterEach
    void stop() {
        tracking.stop(100, java.util.concurrent.TimeUnit.MILLISECONDS); // embedded loops run tasks only when told
        registry.close();
    }

    private List<TaskSnapshot> tasks() {
        return registry.query(TaskQuery.all(0, 100)).tasks();
    }

    private List<TaskSnapshot> requests() {
        return tasks().stream().filter(t -> t.kind() == TaskKind.REQUEST).toList();
    }

    /** The service's handler, making a CompletableFuture per message (the agent's inserted call reports each). */
    private Holding futures() {
        return new Holding(ctx -> new CompletableFuture<String>(), f -> tracking.observer().futureCreated(f));
    }

    @Test
    @AllowPendingTasks("the request waits on the future until the test completes it")
    void anHttpRequestIsLabelledStepsThroughTheHandlerWaitsOnItsFutureAndEndsWithItsResponse() {
        Holding handler = futures();
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), handler);
        tracking.install(ch, false);
        assertThat(ch.pipeline().names()).startsWith(NettyTracking.CONNECTION_HANDLER).contains(NettyTracking.HTTP_HANDLER,
                StepHandler.PREFIX + ch.pipeline().context(handler).name());

        ch.writeInbound(Unpooled.copiedBuffer("GET /tickets/42?secret=1 HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        ticker.advanceMillis(7);

        TaskSnapshot request = requests().get(0);
        assertThat(request.label()).isEqualTo("GET /tickets/42");
        assertThat(request.state()).isEqualTo(TaskState.WAITING);
        assertThat(request.steps()).extracting(s -> s.name())
                .containsSubsequence("request-read", "Holding (" + ch.pipeline().context(handler).name() + ")",
                        "Holding (" + ch.pipeline().context(handler).name() + ") returned");
        // where the handler made the future, learned from its first sightings, not just the handler's name
        assertThat(request.waitingOn()).isEqualTo("CompletableFuture from Holding.channelRead(Holding.java:33)");
        assertThat(tasks()).filteredOn(t -> t.kind() == TaskKind.CONNECTION).singleElement()
                .satisfies(c -> assertThat(c.state()).as("a connection with a request in flight waits on nothing itself")
                        .isEqualTo(TaskState.IDLE));

        for (Object f : handler.made) { // one per message the codec made: the head, then the last content
            ((CompletableFuture<String>) f).complete("ok");
        }
        ch.runPendingTasks();
        assertThat(requests().get(0).lastStep()).as(requests().toString()).isEqualTo("future-completed");
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(requests()).as("the last content written ends the request").isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    @AllowPendingTasks("the request waits on its second future until the test completes it")
    void aRequestLeftWithTwoPendingFuturesWaitsOnTheSecondOnceTheFirstCompletes() {
        Chaining handler = new Chaining(f -> tracking.observer().futureCreated(f));
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), handler);
        tracking.install(ch, false);
        ch.writeInbound(Unpooled.copiedBuffer("GET /chain HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
        TaskSnapshot request = requests().get(0);
        assertThat(request.state()).isEqualTo(TaskState.WAITING);
        String first = request.waitingOn();
        assertThat(first).startsWith("CompletableFuture from Chaining.channelRead(");

        handler.firsts.forEach(f -> f.complete("first"));
        ch.runPendingTasks();
        request = requests().get(0);
        assertThat(request.lastStep()).as(request.toString()).isEqualTo("future-completed");
        assertThat(request.state()).as("waiting on the second, still pending: %s", request).isEqualTo(TaskState.WAITING);
        assertThat(request.waitingOn()).startsWith("CompletableFuture from Chaining.channelRead(").isNotEqualTo(first);

        handler.seconds.forEach(f -> f.complete("second"));
        ch.runPendingTasks();
        assertThat(requests().get(0).state()).as(requests().toString()).isEqualTo(TaskState.RUNNING);
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(requests()).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void pipelinedRequestsEndInTheOrderTheyCame() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new Holding(null, null));
        tracking.install(ch, false);
        ch.writeInbound(Unpooled.copiedBuffer("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\nGET /c HTTP/1.1\r\n\r\n",
                StandardCharsets.US_ASCII));
        assertThat(requests()).extracting(TaskSnapshot::label).containsExactlyInAnyOrder("GET /a", "GET /b", "GET /c");

        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(requests()).as("a head alone does not end a request").hasSize(3);
        ch.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(requests()).extracting(TaskSnapshot::label).containsExactlyInAnyOrder("GET /b", "GET /c");
        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(requests()).extracting(TaskSnapshot::label).containsExactly("GET /c");
        ch.close();
        assertThat(tasks()).as("a closed connection ends its requests and itself").isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    @AllowPendingTasks("the exchange waits on the promise the handler made")
    void anotherProtocolsMessageIsAnExchangeUntilTheNextWrite() {
        EmbeddedChannel ch = new EmbeddedChannel();
        Holding lines = new Holding(ctx -> new DefaultPromise<String>(ctx.executor()), f -> tracking.observer().futureCreated(f));
        ch.pipeline().addLast("lines", lines);
        tracking.install(ch, false);
        ch.writeInbound(Unpooled.copiedBuffer("PING\n", StandardCharsets.US_ASCII));
        TaskSnapshot exchange = requests().get(0);
        assertThat(exchange.waitingOn()).isEqualTo("DefaultPromise from Holding.channelRead(Holding.java:33)");
        @SuppressWarnings("unchecked")
        Promise<String> promise = (Promise<String>) lines.made.get(0);
        promise.setSuccess("PONG");
        ch.runPendingTasks();
        assertThat(requests().get(0).state()).isEqualTo(TaskState.RUNNING);
        ch.writeOutbound(Unpooled.copiedBuffer("PONG\n", StandardCharsets.US_ASCII));
        assertThat(requests()).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    @AllowPendingTasks("the stream stays open until the test ends it")
    void anHttp2StreamIsARequestOfItsConnectionFromItsHeadersToTheFrameThatEndsIt() {
        EmbeddedChannel connection = new EmbeddedChannel();
        tracking.install(connection, false);
        ConnectionTracker parent = (ConnectionTracker) connection.pipeline().get(NettyTracking.CONNECTION_HANDLER);
        EmbeddedChannel stream = new EmbeddedChannel(connection.id(), false, new ChannelInboundHandlerAdapter());
        stream.pipeline().addFirst(NettyTracking.STREAM_HANDLER, new StreamTracker(tracking, parent));

        stream.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("POST").path("/quotes?x=1"), false));
        stream.writeInbound(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("{}", StandardCharsets.US_ASCII), true));
        TaskSnapshot request = requests().get(0);
        assertThat(request.label()).isEqualTo("POST /quotes");
        assertThat(request.parent()).as("a request of its connection").isEqualTo(registry.query(TaskQuery.all(0, 10)).tasks()
                .stream().filter(t -> t.kind() == TaskKind.CONNECTION).findFirst().orElseThrow().id());
        assertThat(request.steps()).extracting(s -> s.name()).contains("request-read");

        stream.writeOutbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200"), true));
        assertThat(requests()).isEmpty();
        stream.finishAndReleaseAll();
        connection.finishAndReleaseAll();
    }

    @Test
    void stoppingTakesEveryTrackerOutAndLeavesThePipelineAsTheServiceMadeIt() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), futures());
        List<String> before = ch.pipeline().names();
        tracking.install(ch, false);
        assertThat(ch.pipeline().names()).hasSizeGreaterThan(before.size());

        tracking.stop(1, java.util.concurrent.TimeUnit.SECONDS);
        ch.runPendingTasks();

        assertThat(ch.pipeline().names()).isEqualTo(before);
        assertThat(tasks()).isEmpty();
        ch.finishAndReleaseAll();
    }
}
