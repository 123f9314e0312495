package io.routerctl.runtime;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.Ticker;
import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class RouterRuntimeTest {

    static final ProbePoint ROUTED = ProbePoint.step("test-routed");
    static final ProbePoint NEVER = ProbePoint.await("test-never");
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private RouterRuntime start(RequestHandler handler) throws Exception {
        return start(new TaskRegistry(Ticker.system(), true), handler);
    }

    private RouterRuntime start(TaskRegistry registry, RequestHandler handler) throws Exception {
        RouterRuntime runtime = RouterRuntime.builder().port(0).loops(2).attach(false)
                .registry(registry).handler(handler).start();
        closeables.add(runtime);
        return runtime;
    }

    private RawHttp connect(RouterRuntime runtime) throws Exception {
        RawHttp client = new RawHttp(runtime.port());
        closeables.add(client);
        return client;
    }

    private static List<TaskSnapshot> tasks(RouterRuntime runtime) {
        return runtime.registry().query(TaskQuery.all(60_000, 1000)).tasks();
    }

    private static List<TaskSnapshot> tasksFrom(RouterRuntime runtime, String local) {
        return tasks(runtime).stream().filter(t -> local.equals(t.remote())).toList();
    }

    private static List<String> stepNames(TaskSnapshot t) {
        return t.steps().stream().map(StepSnapshot::name).toList();
    }

    @Test
    void answeredRequestLeavesAndKeepAliveConnectionStaysIdle() throws Exception {
        RouterRuntime runtime = start((ctx, request) -> {
            ctx.step(ROUTED);
            ctx.respond(HttpResponseStatus.OK, "hello\n");
        });
        RawHttp client = connect(runtime);
        List<TaskSnapshot> atAccept = Poll.until("connection registered and accepted", TIMEOUT,
                () -> tasksFrom(runtime, client.localAddress()),
                l -> l.size() == 1 && "accepted".equals(l.get(0).lastStep()));
        assertThat(atAccept.get(0).kind()).isEqualTo(TaskKind.CONNECTION);
        assertThat(atAccept.get(0).state()).isEqualTo(TaskState.IDLE);
        assertThat(atAccept.get(0).lastStep()).isEqualTo("accepted");

        for (int i = 0; i < 3; i++) {
            client.get("/x");
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello\n");
            assertThat(response.close()).isFalse();
        }
        List<TaskSnapshot> after = Poll.until("only the idle connection left", TIMEOUT,
                () -> tasksFrom(runtime, client.localAddress()), l -> l.size() == 1);
        assertThat(after.get(0).kind()).isEqualTo(TaskKind.CONNECTION);
        assertThat(after.get(0).state()).isEqualTo(TaskState.IDLE);
        assertThat(runtime.registry().query(TaskQuery.stuck(0, 10)).stuck()).isZero();

        client.close();
        Poll.until("connection gone", TIMEOUT, () -> tasks(runtime), List::isEmpty);
    }

    /** The addresses routerctl prints must be the ones the OS shows for the server's socket. */
    @Test
    void addressesAreTheOnesSsShowsForTheServerSocket() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/ss"))
                || java.nio.file.Files.isExecutable(java.nio.file.Path.of("/bin/ss")), "needs ss (iproute2)");
        RouterRuntime runtime = start((ctx, request) -> ctx.respond(HttpResponseStatus.OK, "hi\n"));
        RawHttp client = connect(runtime);
        TaskSnapshot connection = Poll.until("connection registered", TIMEOUT,
                () -> tasksFrom(runtime, client.localAddress()), l -> l.size() == 1).get(0);

        Process ss = new ProcessBuilder("ss", "-Htn", "state", "established", "( sport = :" + runtime.port() + " )")
                .redirectErrorStream(true).start();
        String serverSide = new String(ss.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(ss.waitFor()).isZero();
        assertThat(serverSide.split("\\s+")).as("ss: %s", serverSide)
                .contains(connection.local(), connection.remote());
        assertThat(serverSide).doesNotContain("::ffff:");
    }

    @Test
    void clientDisconnectAbandonsWaitingRequestAndItLeaves() throws Exception {
        AtomicReference<RequestContext> pending = new AtomicReference<>();
        CountDownLatch handled = new CountDownLatch(1);
        RouterRuntime runtime = start((ctx, request) -> {
            ctx.step(ROUTED);
            ctx.await(NEVER);
            pending.set(ctx);
            handled.countDown();
        });
        RawHttp client = connect(runtime);
        client.get("/hang");
        assertThat(handled.await(10, TimeUnit.SECONDS)).isTrue();

        List<TaskSnapshot> live = Poll.until("request waiting", TIMEOUT,
                () -> tasksFrom(runtime, client.localAddress()), l -> l.size() == 2);
        TaskSnapshot request = live.stream().filter(t -> t.kind() == TaskKind.REQUEST).findFirst().orElseThrow();
        TaskSnapshot connection = live.stream().filter(t -> t.kind() == TaskKind.CONNECTION).findFirst().orElseThrow();
        assertThat(request.state()).isEqualTo(TaskState.WAITING);
        assertThat(request.waitingOn()).isEqualTo("test-never");
        assertThat(request.lastStep()).isEqualTo("test-routed");
        assertThat(request.parent()).isEqualTo(connection.id());
        assertThat(stepNames(request)).containsExactly("request-read", "test-routed");
        assertThat(connection.state()).isEqualTo(TaskState.IDLE);
        assertThat(request.local()).isEqualTo("127.0.0.1:" + runtime.port());

        List<TaskSnapshot> stuck = runtime.registry().query(TaskQuery.stuck(0, 10)).tasks();
        assertThat(stuck).extracting(TaskSnapshot::kind).containsExactly(TaskKind.REQUEST);

        client.close();
        Poll.until("both tasks gone", TIMEOUT, () -> tasks(runtime), List::isEmpty);
        CompletableFuture<Boolean> open = new CompletableFuture<>();
        pending.get().eventLoop().execute(() -> open.complete(pending.get().isOpen()));
        assertThat(open.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void partialHeadKeepsConnectionRunningUntilTheHeadIsRead() throws Exception {
        RouterRuntime runtime = start((ctx, request) -> ctx.respond(HttpResponseStatus.OK, "ok"));
        RawHttp client = connect(runtime);
        client.send("GET /slow HTTP/1.1\r\nHost: loc");
        Poll.until("connection running", TIMEOUT, () -> tasksFrom(runtime, client.localAddress()),
                l -> l.size() == 1 && l.get(0).state() == TaskState.RUNNING);
        // Running, so it can be stuck: once any time has passed since its last progress (a query in
        // the same millisecond sees no time without progress yet), the zero threshold lists it.
        List<TaskSnapshot> stuck = Poll.until("connection stuck at a zero threshold", TIMEOUT,
                () -> runtime.registry().query(TaskQuery.stuck(0, 10)).tasks(), l -> !l.isEmpty());
        assertThat(stuck).extracting(TaskSnapshot::kind).containsExactly(TaskKind.CONNECTION);

        client.send("alhost\r\n\r\n");
        assertThat(client.read().status()).isEqualTo(200);
        Poll.until("connection idle again", TIMEOUT, () -> tasksFrom(runtime, client.localAddress()),
                l -> l.size() == 1 && l.get(0).state() == TaskState.IDLE);
    }

    @Test
    void connectionCloseRequestIsAnsweredAndConnectionLeaves() throws Exception {
        RouterRuntime runtime = start((ctx, request) -> ctx.respond(HttpResponseStatus.OK, "bye"));
        RawHttp client = connect(runtime);
        client.get("/x", "Connection: close");
        RawHttp.Response response = client.read();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.close()).isTrue();
        Poll.until("connection gone", TIMEOUT, () -> tasks(runtime), List::isEmpty);
    }

    @Test
    void pipelinedRequestsAreServedInOrder() throws Exception {
        RouterRuntime runtime = start((ctx, request) -> ctx.respond(HttpResponseStatus.OK, request.uri()));
        RawHttp client = connect(runtime);
        client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(client.read().body()).isEqualTo("/a");
        assertThat(client.read().body()).isEqualTo("/b");
        assertThat(client.read().body()).isEqualTo("/c");
    }

    @Test
    void handlerFailureAnswers500AndCloses() throws Exception {
        RouterRuntime runtime = start((ctx, request) -> {
            throw new IllegalStateException("boom");
        });
        RawHttp client = connect(runtime);
        client.get("/x");
        RawHttp.Response response = client.read();
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.close()).isTrue();
        Poll.until("tasks gone", TIMEOUT, () -> tasks(runtime), List::isEmpty);
    }

    @Test
    void trackingOffServesWithoutRegisteringAnything() throws Exception {
        TaskRegistry off = new TaskRegistry(Ticker.system(), false);
        RouterRuntime runtime = start(off, (ctx, request) -> {
            ctx.step(ROUTED);
            ctx.respond(HttpResponseStatus.OK, "ok");
        });
        RawHttp client = connect(runtime);
        client.get("/x");
        assertThat(client.read().status()).isEqualTo(200);
        assertThat(off.shards()).extracting(s -> s.registered()).containsOnly(0L);
        assertThat(off.shards()).extracting(s -> s.name()).containsExactly("loop-0", "loop-1");
    }

    @Test
    void upstreamExchangeRecordsItsStepsAndReusesTheConnection() throws Exception {
        RouterRuntime backend = start((ctx, request) -> ctx.respond(HttpResponseStatus.OK, "from backend " + request.uri()));
        InetSocketAddress backendAddress = new InetSocketAddress("127.0.0.1", backend.port());
        List<List<String>> stepsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        UpstreamCallback forward = new UpstreamCallback() {
            @Override
            public void onResponse(RequestContext ctx, FullHttpResponse response) {
                long id = ctx.shard().idOf(ctx.handle());
                ctx.shard().registry().task(id, 60_000).ifPresent(t -> stepsSeen.add(stepNames(t)));
                FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        response.content().retain());
                response.release();
                ctx.respond(answer);
            }

            @Override
            public void onFailure(RequestContext ctx, Throwable cause) {
                ctx.respond(HttpResponseStatus.BAD_GATEWAY, String.valueOf(cause));
            }
        };
        RouterRuntime router = start((ctx, request) -> ctx.upstream().exchange(ctx, backendAddress,
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, request.uri(), Unpooled.EMPTY_BUFFER),
                forward));
        RawHttp client = connect(router);
        for (int i = 0; i < 3; i++) {
            client.get("/r" + i);
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("from backend /r" + i);
        }
        assertThat(stepsSeen).hasSize(3).allSatisfy(steps -> assertThat(steps).containsExactly(
                "request-read", "upstream-connected", "upstream-request-sent", "upstream-response-read"));
        // one connection and three requests reached the backend: the upstream connection was reused
        long registered = backend.registry().shards().stream().mapToLong(s -> s.registered()).sum();
        assertThat(registered).isEqualTo(4);
        Poll.until("router requests gone", TIMEOUT, () -> tasksFrom(router, client.localAddress()),
                l -> l.size() == 1);
    }

    @Test
    void upstreamRefusedConnectionFailsTheExchange() throws Exception {
        RouterRuntime backend = start((ctx, request) -> ctx.respond(HttpResponseStatus.OK, "x"));
        int deadPort = backend.port();
        backend.close();
        InetSocketAddress dead = new InetSocketAddress("127.0.0.1", deadPort);
        RouterRuntime router = start((ctx, request) -> ctx.upstream().exchange(ctx, dead,
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/", Unpooled.EMPTY_BUFFER),
                new UpstreamCallback() {
                    @Override
                    public void onResponse(RequestContext ctx, FullHttpResponse response) {
                        response.release();
                        ctx.respond(HttpResponseStatus.OK, "unexpected");
                    }

                    @Override
                    public void onFailure(RequestContext ctx, Throwable cause) {
                        ctx.respond(HttpResponseStatus.BAD_GATEWAY, "upstream failed");
                    }
                }));
        RawHttp client = connect(router);
        client.get("/x");
        assertThat(client.read().status()).isEqualTo(502);
    }

    @Test
    void eachLoopOwnsANamedShard() throws Exception {
        RouterRuntime runtime = start((ctx, request) -> ctx.respond(HttpResponseStatus.OK, "ok"));
        assertThat(runtime.transport()).isEqualTo(io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio");
        assertThat(runtime.loopCount()).isEqualTo(2);
        assertThat(runtime.registry().shards()).extracting(s -> s.name()).containsExactly("loop-0", "loop-1");
        assertThat(runtime.attachSocket()).isEmpty();
    }
}
