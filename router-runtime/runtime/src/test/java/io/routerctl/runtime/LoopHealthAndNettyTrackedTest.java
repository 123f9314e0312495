package io.routerctl.runtime;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.Ticker;
import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.testing.AllowPendingTasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The runtime's loop watchdog seen through the attach socket, and tracked waits on Netty futures. */
class LoopHealthAndNettyTrackedTest {

    static final ProbePoint PARKED = ProbePoint.await("test-parked");
    static final ProbePoint QUOTA = ProbePoint.await("test-quota");
    static final ProbePoint QUOTA_CHECKED = ProbePoint.step("test-quota-checked");
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private RouterRuntime start(RequestHandler handler, boolean attach) throws Exception {
        RouterRuntime runtime = RouterRuntime.builder().port(0).loops(1).attach(attach)
                .registry(new TaskRegistry(Ticker.system(), true))
                .loopWatchdog(Duration.ofMillis(20), Duration.ofMillis(300))
                .handler(handler).start();
        closeables.add(runtime);
        return runtime;
    }

    private RawHttp connect(RouterRuntime runtime) throws Exception {
        RawHttp client = new RawHttp(runtime.port());
        closeables.add(client);
        return client;
    }

    /** Stands for an application's blocking call on the loop (a report render, a JDBC query). */
    static void renderReportBlocking(CountDownLatch release) {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void blockedLoopIsShownByLoopsWithTheBlockingMethodAndMarksItsRequests(@TempDir Path attachDir) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        closeables.add(release::countDown);
        RouterRuntime runtime;
        String previous = System.getProperty("routerctl.attach.dir");
        System.setProperty("routerctl.attach.dir", attachDir.toString());
        try {
            runtime = start((ctx, request) -> {
                if (request.uri().equals("/block")) {
                    renderReportBlocking(release);
                    ctx.respond(HttpResponseStatus.OK, "rendered\n");
                } else {
                    ctx.await(PARKED); // untracked: answered when the test closes the connection
                }
            }, true);
        } finally {
            if (previous == null) {
                System.clearProperty("routerctl.attach.dir");
            } else {
                System.setProperty("routerctl.attach.dir", previous);
            }
        }
        RawHttp parked = connect(runtime);
        parked.get("/parked");
        Poll.until("the parked request", TIMEOUT, () -> runtime.registry().query(TaskQuery.all(0, 100)).tasks(),
                ts -> ts.stream().anyMatch(t -> "test-parked".equals(t.waitingOn())));
        RawHttp blocker = connect(runtime);
        blocker.get("/block");

        try (AttachClient client = AttachClient.connect(runtime.attachSocket().orElseThrow(), TIMEOUT)) {
            List<LoopSnapshot> loops = Poll.until("loop-0 blocked", TIMEOUT, () -> loops(client),
                    ls -> ls.get(0).health() != null && ls.get(0).health().blocked());
            assertThat(loops.get(0).health().blockedStack())
                    .as("the captured stack of the blocked loop")
                    .anySatisfy(frame -> assertThat(frame).contains("renderReportBlocking"));
            List<TaskSnapshot> requests = client.query(TaskQuery.all(0, 100)).tasks().stream()
                    .filter(t -> t.kind() == TaskKind.REQUEST).toList();
            assertThat(requests).hasSize(2)
                    .allSatisfy(t -> assertThat(t.warnings()).contains("blocked-loop"));

            release.countDown();
            assertThat(blocker.read().body()).isEqualTo("rendered\n");
            Poll.until("loop-0 healthy again", TIMEOUT, () -> loops(client),
                    ls -> ls.get(0).health() != null && !ls.get(0).health().blocked());
            assertThat(client.query(TaskQuery.all(0, 100)).tasks())
                    .allSatisfy(t -> assertThat(t.warnings()).doesNotContain("blocked-loop"));
        }
    }

    private static List<LoopSnapshot> loops(AttachClient client) {
        try {
            return client.loops(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void nettyTrackedWaitResumesTheRequestOnItsLoop() throws Exception {
        AtomicReference<Promise<String>> quota = new AtomicReference<>();
        RouterRuntime runtime = start((ctx, request) -> {
            Promise<String> promise = new DefaultPromise<>(GlobalEventExecutor.INSTANCE);
            quota.set(promise);
            NettyTracked.<String>await(ctx, QUOTA, QUOTA_CHECKED, promise).whenComplete((value, error) -> {
                TaskSnapshot self = ctx.shard().registry().query(TaskQuery.all(0, 100)).tasks().stream()
                        .filter(t -> t.kind() == TaskKind.REQUEST).findFirst().orElseThrow();
                ctx.respond(HttpResponseStatus.OK, value + " on-loop=" + ctx.eventLoop().inEventLoop()
                        + " state=" + self.state() + " last=" + self.lastStep() + "\n");
            });
        }, false);
        RawHttp client = connect(runtime);
        client.get("/quota");
        TaskSnapshot waiting = Poll.until("the request waiting on test-quota", TIMEOUT,
                () -> runtime.registry().query(TaskQuery.all(0, 100)).tasks().stream()
                        .filter(t -> "test-quota".equals(t.waitingOn())).findFirst().orElse(null),
                t -> t != null);
        assertThat(waiting.state()).isEqualTo(TaskState.WAITING);

        Thread other = new Thread(() -> quota.get().setSuccess("granted"), "quota-service");
        other.start();
        other.join();

        assertThat(client.read().body()).isEqualTo("granted on-loop=true state=running last=test-quota-checked\n");
    }

    @Test
    @AllowPendingTasks("the request's wake-up is lost on purpose, to be proven")
    void droppedNettyPromiseIsProvenALostWakeUp() throws Exception {
        RouterRuntime runtime = start((ctx, request) ->
                NettyTracked.await(ctx, QUOTA, QUOTA_CHECKED, new DefaultPromise<String>(GlobalEventExecutor.INSTANCE))
                        .whenComplete((value, error) -> ctx.respond(HttpResponseStatus.OK, "never\n")), false);
        RawHttp client = connect(runtime);
        client.get("/quota");
        TaskSnapshot lost = Poll.until("a lost wake-up on test-quota", TIMEOUT, () -> {
            runtime.registry().collectLostWakeups(Duration.ofSeconds(2));
            return runtime.registry().query(TaskQuery.all(0, 100)).tasks().stream()
                    .filter(t -> "test-quota".equals(t.waitingOn())).findFirst().orElse(null);
        }, t -> t != null && t.warnings().contains("lost-wakeup"));
        assertThat(lost.remote()).isEqualTo(client.localAddress());
        assertThat(lost.steps()).extracting(StepSnapshot::name).doesNotContain("test-quota-checked");
    }
}
