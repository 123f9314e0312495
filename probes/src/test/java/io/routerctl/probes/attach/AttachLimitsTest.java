package io.routerctl.probes.attach;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.testing.ManualTicker;
import io.routerctl.probes.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a careless or hostile client can make a target do, and the limits that bound it: filters
 * that backtrack, connections that never speak or never finish a line, hundreds of connections,
 * clients looping {@code gc}, and errors on the accept thread. Each case ends with the target
 * answering a normal query.
 */
class AttachLimitsTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String HOSTILE = "(.*)".repeat(16) + "Z";
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    @TempDir
    Path tmp;
    final TaskRegistry registry = new TaskRegistry(new ManualTicker(), true);
    final TaskShard shard = registry.newShard("loop-0");
    final List<AutoCloseable> toClose = new ArrayList<>();
    AttachServer server;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private AttachServer start(AttachServer.Builder builder) throws IOException {
        long req = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, new InetSocketAddress("127.0.0.1", 40112), LOCAL);
        shard.step(req, ProbePoint.step("route-resolved"));
        shard.await(req, ProbePoint.await("auth"));
        server = builder.directory(tmp.resolve("attach")).start();
        return server;
    }

    private AttachServer start() throws IOException {
        return start(AttachServer.builder(registry).name("limits"));
    }

    private RawConnection raw() throws IOException {
        RawConnection c = new RawConnection(server.socket());
        toClose.add(c);
        return c;
    }

    private AttachClient client() throws AttachException {
        AttachClient c = AttachClient.connect(server.socket(), TIMEOUT);
        toClose.add(c);
        return c;
    }

    private static String query(long id, String filter) {
        return "{\"v\":1,\"id\":" + id + ",\"op\":\"query\",\"query\":{\"older_than_ms\":0"
                + (filter == null ? "" : ",\"filter\":\"" + filter + "\"") + "}}";
    }

    /** The target still answers an ordinary query, with the task it holds. */
    private void assertStillAnswers() throws Exception {
        TaskReport report = Poll.value(TIMEOUT, "a normal query answered", () -> {
            try {
                return client().query(TaskQuery.all(0, 10));
            } catch (AttachException | TargetErrorException e) {
                return null;
            }
        });
        assertThat(report.tasks()).extracting(t -> t.remote()).contains("127.0.0.1:40112");
    }

    // ---------------------------------------------------------------- case 3: a query's cost

    @Test
    void aFilterThatWouldBacktrackForMinutesIsAnsweredOverBudget() throws Exception {
        start();
        RawConnection c = raw();
        c.read();
        long start = System.nanoTime();
        JsonNode reply = c.ask(query(1, HOSTILE));
        long tookMs = (System.nanoTime() - start) / 1_000_000L;

        assertThat(reply.at("/error/code").asText()).isEqualTo("over_budget");
        assertThat(reply.at("/error/message").asText()).startsWith("the query needed more than 2000ms");
        assertThat(tookMs).as("answered at the budget, not after minutes").isLessThan(15_000);
        JsonNode next = c.ask(query(2, "40112"));
        assertThat(next.at("/result/tasks/0/remote").asText()).as("the same connection goes on").isEqualTo("127.0.0.1:40112");
    }

    @Test
    void sixteenClientsWithBacktrackingFiltersAllGetAnAnswerAndTheTargetGoesOn() throws Exception {
        start();
        List<RawConnection> hostile = new ArrayList<>();
        for (int i = 0; i < AttachServer.MAX_CLIENTS - 1; i++) {
            RawConnection c = raw();
            c.read();
            hostile.add(c);
        }
        for (RawConnection c : hostile) {
            c.send(query(1, HOSTILE));
        }
        for (RawConnection c : hostile) {
            JsonNode reply = c.read();
            assertThat(reply.at("/error/code").asText()).isEqualTo("over_budget");
        }
        assertStillAnswers();
    }

    @Test
    void plainQueriesAreAnsweredWhileFifteenClientsLoopABacktrackingFilter() throws Exception {
        start();
        List<RawConnection> hostile = new ArrayList<>();
        for (int i = 0; i < AttachServer.MAX_CLIENTS - 1; i++) {
            RawConnection c = raw();
            c.read();
            hostile.add(c);
        }
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch firstRefusal = new CountDownLatch(1);
        List<Thread> loops = new ArrayList<>();
        for (RawConnection c : hostile) {
            Thread t = new Thread(() -> {
                try {
                    for (long id = 1; !stop.get(); id++) {
                        JsonNode reply = c.ask(query(id, HOSTILE));
                        if (reply == null) {
                            return;
                        }
                        if ("over_budget".equals(reply.at("/error/code").asText())) {
                            firstRefusal.countDown();
                        }
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
            t.start();
            loops.add(t);
        }
        try {
            assertThat(firstRefusal.await(30, TimeUnit.SECONDS)).as("the first backtracking query ran out of budget").isTrue();
            AttachClient plain = client();
            for (int i = 0; i < 10; i++) {
                assertThat(plain.query(TaskQuery.all(0, 10)).tasks()).as("plain query %d, answered", i).hasSize(1);
            }
        } finally {
            stop.set(true);
            for (RawConnection c : hostile) {
                c.close();
            }
            for (Thread t : loops) {
                t.join(10_000);
            }
        }
    }

    @Test
    void aFilterLongerThanTheLimitIsABadRequest() throws Exception {
        start();
        RawConnection c = raw();
        c.read();
        JsonNode reply = c.ask(query(1, "a".repeat(257)));
        assertThat(reply.at("/error/code").asText()).isEqualTo("bad_request");
        assertThat(reply.at("/error/message").asText()).isEqualTo("filter is 257 characters long; at most 256");
    }

    @Test
    void aSubscriptionWhoseFilterIsOverBudgetIsRefusedAndNotCreated() throws Exception {
        start();
        AttachClient c = client();
        assertThatThrownBy(() -> c.subscribe(TaskQuery.all(0, 10).withFilter(HOSTILE), Duration.ofMillis(200),
                new SubscriptionListener() {
                    @Override
                    public void onUpdate(TargetInfo target, TaskReport report, List<LoopSnapshot> loops, long dropped) {
                    }

                    @Override
                    public void onClosed(Exception cause) {
                    }
                })).isInstanceOf(TargetErrorException.class).hasMessageStartingWith("the query needed more than");
        assertThat(c.query(TaskQuery.all(0, 10)).tasks()).hasSize(1);
    }

    // ---------------------------------------------------------------- case 4: idle connections

    @Test
    void connectionsThatNeverSpeakAreEvictedForANewClient() throws Exception {
        start();
        List<RawConnection> idle = new ArrayList<>();
        for (int i = 0; i < AttachServer.MAX_CLIENTS; i++) {
            RawConnection c = raw();
            c.read();
            idle.add(c);
        }
        // Busy at first (none idle for a second yet), then a slot is made by evicting the longest idle.
        AttachClient newcomer = Poll.value(TIMEOUT, "a new client admitted", () -> {
            try {
                return client();
            } catch (AttachException e) {
                assertThat(e.reason()).isEqualTo(AttachException.Reason.BUSY);
                return null;
            }
        });
        assertThat(newcomer.query(TaskQuery.all(0, 10)).tasks()).hasSize(1);
        JsonNode evicted = idle.get(0).read();
        assertThat(evicted.at("/error/code").asText()).isEqualTo("timeout");
        assertThat(evicted.at("/error/message").asText()).contains("idle to make room for another client");
        assertThat(idle.get(0).read()).as("then closed").isNull();
    }

    @Test
    void twoHundredIdleConnectionsLeaveTheTargetServingWithSixteenSessionsAtMost() throws Exception {
        start();
        for (int i = 0; i < 200; i++) {
            raw(); // never read, never write
        }
        assertStillAnswers();
        assertThat(server.clients()).isLessThanOrEqualTo(AttachServer.MAX_CLIENTS);
        // Evicted sessions' threads end as their sockets close; then at most two per session are left.
        Poll.until(TIMEOUT, "at most two threads per session", () -> Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("routerctl-attach-client-")
                        || t.getName().startsWith("routerctl-attach-writer-")).count() <= 2L * AttachServer.MAX_CLIENTS);
    }

    @Test
    void subscribedClientsAreNeverEvictedSoTheSeventeenthIsToldBusy() throws Exception {
        start();
        for (int i = 0; i < AttachServer.MAX_CLIENTS; i++) {
            client().subscribe(TaskQuery.stuck(0, 1), Duration.ofSeconds(1), new SubscriptionListener() {
                @Override
                public void onUpdate(TargetInfo target, TaskReport report, List<LoopSnapshot> loops, long dropped) {
                }

                @Override
                public void onClosed(Exception cause) {
                }
            });
        }
        assertThatThrownBy(this::client).isInstanceOfSatisfying(AttachException.class,
                e -> assertThat(e.reason()).isEqualTo(AttachException.Reason.BUSY))
                .hasMessageContaining("none of them is idle");
    }

    @Test
    void aLineLeftHalfSentAndAConnectionLeftIdleAreClosedAfterTheirLimits() throws Exception {
        start(AttachServer.builder(registry).name("limits").limits(Duration.ofMillis(1_500), Duration.ofMillis(300)));
        RawConnection half = raw();
        half.read();
        half.write("{\"v\":1,\"id\":1,".getBytes(StandardCharsets.UTF_8));
        JsonNode timeout = half.read();
        assertThat(timeout.at("/error/code").asText()).isEqualTo("timeout");
        assertThat(timeout.at("/error/message").asText()).isEqualTo("a request line was still incomplete after 300ms; closing");
        assertThat(half.read()).isNull();

        RawConnection quiet = raw();
        quiet.read();
        JsonNode idle = quiet.read();
        assertThat(idle.at("/error/message").asText()).isEqualTo("idle for 1500ms with no subscription; closing");
        assertThat(quiet.read()).isNull();

        // A subscriber is not idle, however long it only listens.
        RawConnection listener = raw();
        listener.read();
        listener.send("{\"v\":1,\"id\":1,\"op\":\"subscribe\",\"interval_ms\":200,\"query\":{\"limit\":1}}");
        for (int updates = 0; updates < 12; ) {
            JsonNode m = listener.read();
            assertThat(m).as("still open after %d updates", updates).isNotNull();
            assertThat(m.has("error")).as(m.toString()).isFalse();
            if ("update".equals(m.path("type").asText())) {
                updates++;
            }
        }
    }

    // ---------------------------------------------------------------- case 5: gc

    @Test
    void sixteenClientsLoopingGcCostOneCollectionPerInterval() throws Exception {
        start();
        ExecutorService pool = Executors.newFixedThreadPool(AttachServer.MAX_CLIENTS - 1);
        try {
            List<CompletableFuture<List<GcResult>>> loops = new ArrayList<>();
            for (int i = 0; i < AttachServer.MAX_CLIENTS - 1; i++) {
                AttachClient c = client();
                loops.add(CompletableFuture.supplyAsync(() -> {
                    List<GcResult> results = new ArrayList<>();
                    for (int n = 0; n < 20; n++) {
                        try {
                            results.add(c.collectLostWakeups());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return results;
                }, pool));
            }
            int fresh = 0;
            for (CompletableFuture<List<GcResult>> l : loops) {
                for (GcResult r : l.get(60, TimeUnit.SECONDS)) {
                    fresh += r.ageMs() == 0 ? 1 : 0;
                }
            }
            assertThat(server.gcCollectionsRun()).as("300 requests within the interval").isEqualTo(1);
            assertThat(fresh).as("those that waited for the one running share it").isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertStillAnswers();
    }

    // ---------------------------------------------------------------- case 6: errors

    @Test
    void anErrorOnTheAcceptThreadIsCountedAndTheNextClientServed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(AttachServer.builder(registry).name("limits").peerPolicy(peer -> {
            if (calls.getAndIncrement() == 0) {
                throw new OutOfMemoryError("unable to create native thread (test)");
            }
            return true;
        }));
        long before = InternalErrors.count();
        assertThatThrownBy(() -> AttachClient.connect(server.socket(), TIMEOUT)).isInstanceOf(AttachException.class);
        assertThat(InternalErrors.count()).isEqualTo(before + 1);
        assertThat(InternalErrors.last()).contains("routerctl-attach-accept", "unable to create native thread (test)");
        AttachClient c = client();
        assertThat(c.target().internalErrors()).as("the hello reports it").isGreaterThanOrEqualTo(before + 1);
        assertStillAnswers();
    }
}
