package io.routerctl.probes.query;

import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.Warning;
import io.routerctl.probes.testing.ManualTicker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of "stuck": one question asked of a live registry and of the snapshot taken of it
 * at the same instant gets the same answer, for fixed and adaptive thresholds, filters, kinds,
 * orders, limits, groups, loops and relatives.
 */
class LiveAndSavedAgreeTest {

    static final ProbePoint READ = ProbePoint.step("contract-read");
    static final ProbePoint ROUTED = ProbePoint.step("contract-routed");
    static final ProbePoint DB = ProbePoint.await("contract-db");
    static final ProbePoint AUTH = ProbePoint.await("contract-auth");
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    final ManualTicker ticker = new ManualTicker();
    final TaskRegistry registry = new TaskRegistry(ticker, true);
    final TaskShard loop0 = registry.newShard("loop-0");
    final TaskShard loop1 = registry.newShard("loop-1");
    SavedTasks saved;
    List<LoopSnapshot> savedLoops;

    /**
     * Two loops: a history of 3 ms waits on the db (adaptive threshold 1 s) and of 400 ms waits on
     * auth (threshold 4 s, a multiple of its p99 above the floor); then keep-alive connections,
     * requests waiting on the db for 0.5 s to 7 s, on auth for 2.5 s and 4.5 s, running ones, a
     * lost wake-up, and a request with a child future.
     */
    @BeforeEach
    void aBusyRegistryAndItsSnapshot() {
        for (int i = 0; i < 150; i++) {
            history(loop0, DB, Duration.ofMillis(3));
            history(loop1, AUTH, Duration.ofMillis(400));
        }
        int port = 7000;
        for (TaskShard shard : List.of(loop0, loop1)) {
            for (int n = 0; n < 3; n++) {
                long conn = connection(shard, port);
                shard.idle(conn);
                long waitsOnDb = request(shard, conn, port);
                shard.await(waitsOnDb, DB);
                ticker.advance(Duration.ofMillis(500 + 900L * n));
                port++;
            }
            long busy = connection(shard, port++);
            long running = request(shard, busy, port);
            shard.step(running, ROUTED);
            long authWait = request(shard, busy, port);
            shard.await(authWait, AUTH);
            long future = shard.register(TaskKind.FUTURE, authWait, null, null);
            shard.await(future, AUTH);
            ticker.advance(Duration.ofMillis(2_500));
        }
        long lost = request(loop1, connection(loop1, 7100), 7100);
        loop1.await(lost, DB);
        loop1.warn(lost, Warning.LOST_WAKEUP.bit());
        ticker.advance(Duration.ofMillis(2_000));
        boundaries();

        TaskReport all = registry.query(TaskQuery.all(0, TaskQuery.MAX_LIMIT));
        saved = SavedTasks.of(all);
        savedLoops = registry.loops(0);
        assertThat(all.tasks()).hasSizeGreaterThan(20);
    }

    static Stream<Arguments> queries() {
        return Stream.of(
                q("stuck, 5 s", TaskQuery.stuck(5_000, 100)),
                q("stuck, 5 s, adaptive", TaskQuery.stuck(5_000, 100).withAdaptive(true)),
                q("stuck, 1 s, adaptive", TaskQuery.stuck(1_000, 100).withAdaptive(true)),
                q("stuck, 0 ms", TaskQuery.stuck(0, 100)),
                q("all, 5 s", TaskQuery.all(5_000, 100)),
                q("all, 3 s, adaptive", TaskQuery.all(3_000, 100).withAdaptive(true)),
                q("stuck, limit 2", TaskQuery.stuck(1_000, 2)),
                q("filter on a point", new TaskQuery(false, 2_000, "contract-auth", List.of(), TaskQuery.Sort.ID, false, 50, true)),
                q("filter on an address", new TaskQuery(false, 2_000, ":700[12]$", List.of(), TaskQuery.Sort.REMOTE, true, 50)),
                q("filter on state and loop", new TaskQuery(false, 2_000, "^idle$|loop-1", List.of(), TaskQuery.Sort.STATE, false, 50)),
                q("kinds", new TaskQuery(false, 2_000, null, List.of(TaskKind.CONNECTION, TaskKind.FUTURE), TaskQuery.Sort.KIND, false, 50)),
                q("by age, 3", new TaskQuery(false, 1_000, null, List.of(), TaskQuery.Sort.AGE, false, 3)),
                q("by age, descending", new TaskQuery(false, 1_000, null, List.of(), TaskQuery.Sort.AGE, true, 4, true)),
                q("by step", new TaskQuery(true, 1_000, null, List.of(TaskKind.REQUEST), TaskQuery.Sort.STEP, false, 50)),
                q("by waiting", new TaskQuery(false, 1_000, null, List.of(), TaskQuery.Sort.WAITING, true, 50, true)),
                q("by loop", new TaskQuery(false, 1_000, null, List.of(), TaskQuery.Sort.LOOP, false, 7)));
    }

    private static Arguments q(String name, TaskQuery query) {
        return Arguments.of(name, query);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void aQueryGetsTheSameAnswerLiveAndSaved(String name, TaskQuery query) {
        TaskReport live = registry.query(query);
        TaskReport fromSnapshot = saved.query(query);

        assertThat(fromSnapshot).usingRecursiveComparison().ignoringFields("takenAtEpochMs").isEqualTo(live);
        assertThat(live.matched()).as("the case is not vacuous").isPositive();
    }

    @ParameterizedTest(name = "threshold {0} ms")
    @ValueSource(longs = {0, 1_000, 2_500, 5_000, 60_000})
    void loopsCountTheSameLiveAndSaved(long thresholdMs) {
        assertThat(saved.loops(savedLoops, thresholdMs)).isEqualTo(registry.loops(thresholdMs));
    }

    @ParameterizedTest(name = "threshold {0} ms")
    @ValueSource(longs = {0, 2_500, 5_000})
    void everyTaskHasTheSameRelativesLiveAndSaved(long thresholdMs) {
        for (TaskSnapshot t : saved.tasks()) {
            // The wait histogram is the live target's history, which a snapshot keeps only as percentiles.
            TaskFamily live = registry.family(t.id(), thresholdMs, 2).orElseThrow().withWaitHistogram(null);
            assertThat(saved.family(t.id(), thresholdMs, 2)).as("family of %d", t.id()).isEqualTo(live);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void theRulesAreTheOnesDocumented(String name, TaskQuery query) {
        for (TaskSnapshot t : registry.query(query).tasks()) {
            boolean inFlight = t.state() == TaskState.RUNNING || t.state() == TaskState.WAITING;
            boolean olderThan = inFlight && t.idleMs() >= query.olderThanMs();
            assertThat(t.stuck()).as("%s", t).isEqualTo(olderThan || "adaptive".equals(t.stuckRule()));
            if ("adaptive".equals(t.stuckRule())) {
                assertThat(query.adaptive()).isTrue();
                long after = registry.query(TaskQuery.all(0, 1)).points().stream()
                        .filter(p -> p.name().equals(t.waitingOn())).findFirst().orElseThrow().stuckAfterMs();
                assertThat(t.waitingMs()).isGreaterThanOrEqualTo(after);
            }
        }
    }

    /**
     * Waits that end exactly on each point's adaptive threshold, a millisecond and a microsecond
     * short of it, and at the 5 s threshold: where rounding one side differently would show.
     */
    private void boundaries() {
        record Edge(long waitNanos, ProbePoint point) {
        }
        List<Edge> edges = new java.util.ArrayList<>();
        for (var p : registry.query(TaskQuery.all(0, 1)).points()) {
            ProbePoint point = p.name().equals(DB.name()) ? DB : AUTH;
            long after = p.stuckAfterMs() * 1_000_000L;
            edges.add(new Edge(after, point));
            edges.add(new Edge(after - 1_000L, point));
            edges.add(new Edge(after - 1_000_000L, point));
        }
        edges.add(new Edge(5_000_000_000L, DB));
        edges.add(new Edge(4_999_999_999L, AUTH));
        edges.sort(java.util.Comparator.comparingLong(Edge::waitNanos).reversed());
        long previous = edges.get(0).waitNanos();
        int port = 7200;
        for (Edge e : edges) {
            ticker.advance(Duration.ofNanos(previous - e.waitNanos()));
            previous = e.waitNanos();
            long r = request(loop0, connection(loop0, port), port++);
            loop0.await(r, e.point());
        }
        ticker.advance(Duration.ofNanos(previous));
    }

    private void history(TaskShard shard, ProbePoint point, Duration wait) {
        long t = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
        shard.await(t, point);
        ticker.advance(wait);
        shard.resume(t);
        shard.finish(t, TaskState.DONE);
    }

    private long connection(TaskShard shard, int port) {
        return shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, new InetSocketAddress("127.0.0.1", port), LOCAL);
    }

    private long request(TaskShard shard, long conn, int port) {
        long r = shard.register(TaskKind.REQUEST, conn, new InetSocketAddress("127.0.0.1", port), LOCAL);
        shard.step(r, READ);
        return r;
    }
}
