package io.routerctl.runtime;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The connection handlers on an EmbeddedChannel with a frozen clock: what is stuck, and when. */
class ServerConnectionEmbeddedTest {

    static final ProbePoint WAITING_ON_BACKEND = ProbePoint.await("test-backend");
    static final long STUCK_MS = 5_000;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TaskRegistry registry = new TaskRegistry(now::get, true);
    private final AtomicReference<RequestContext> current = new AtomicReference<>();
    private final io.routerctl.netty.NettyTracking tracking = io.routerctl.netty.NettyTracking.builder()
            .registry(registry).attach(false).start();

    @org.junit.jupiter.api.AfterEach
    void stopTracking() {
        tracking.close();
    }

    private EmbeddedChannel channel() {
        RequestHandler handler = (ctx, request) -> {
            ctx.await(WAITING_ON_BACKEND);
            current.set(ctx);
        };
        var shard = registry.newShard("loop-0");
        return new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                LoopResources loop = new LoopResources(0, ch.eventLoop(), shard, StepTracer.NONE, handler,
                        new UpstreamClient(ch.eventLoop(), NioSocketChannel.class, 1), 1 << 20, tracking);
                ServerConnection.install(ch, loop);
            }
        });
    }

    private void advance(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private List<TaskSnapshot> stuck() {
        return registry.query(TaskQuery.stuck(STUCK_MS, 100)).tasks();
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void onlyWorkInProgressBecomesStuckNeverAnIdleKeepAliveConnection() {
        EmbeddedChannel ch = channel();
        advance(60_000);
        assertThat(stuck()).as("a fresh connection with nothing sent is idle").isEmpty();

        ch.writeInbound(ascii("GET /a HTTP/1.1\r\nHost: x\r\n"));
        advance(STUCK_MS);
        assertThat(stuck()).as("a half-read head keeps the connection running")
                .extracting(TaskSnapshot::kind).containsExactly(TaskKind.CONNECTION);

        ch.writeInbound(ascii("\r\n"));
        assertThat(current.get()).isNotNull();
        advance(STUCK_MS);
        List<TaskSnapshot> stuck = stuck();
        assertThat(stuck).extracting(TaskSnapshot::kind).containsExactly(TaskKind.REQUEST);
        assertThat(stuck.get(0).waitingOn()).isEqualTo("test-backend");
        assertThat(stuck.get(0).lastStep()).isEqualTo("request-read");
        assertThat(stuck.get(0).waitingMs()).isEqualTo(STUCK_MS);

        current.get().resume();
        assertThat(current.get().respond(HttpResponseStatus.OK, "done")).isTrue();
        Object response = ch.readOutbound();
        assertThat(response).isNotNull();
        ReferenceCountUtil.release(response);
        advance(3_600_000);
        assertThat(stuck()).as("answered; the keep-alive connection is idle").isEmpty();
        assertThat(registry.query(TaskQuery.all(STUCK_MS, 10)).tasks())
                .extracting(TaskSnapshot::kind, TaskSnapshot::state).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TaskKind.CONNECTION, TaskState.IDLE));

        ch.close();
        assertThat(registry.query(TaskQuery.all(STUCK_MS, 10)).tasks()).isEmpty();
    }

    @Test
    void disconnectAbandonsTheWaitingRequestAndLaterCallsAreHarmless() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(ascii("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"));
        RequestContext ctx = current.get();
        assertThat(ctx.isOpen()).isTrue();
        ch.close();
        assertThat(registry.query(TaskQuery.all(STUCK_MS, 10)).tasks()).isEmpty();
        assertThat(ctx.isOpen()).isFalse();
        ctx.resume(RuntimePoints.UPSTREAM_RESPONSE_READ);
        assertThat(ctx.respond(HttpResponseStatus.OK, "late")).isFalse();
        assertThat(registry.shards().get(0).live()).isZero();
    }
}
