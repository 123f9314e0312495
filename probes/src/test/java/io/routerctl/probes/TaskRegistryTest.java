package io.routerctl.probes;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.Warning;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.testing.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskRegistryTest {

    static final ProbePoint REQUEST_READ = ProbePoint.step("request-read");
    static final ProbePoint ROUTE_RESOLVED = ProbePoint.step("route-resolved");
    static final ProbePoint AUTH_REQUESTED = ProbePoint.step("auth-requested");
    static final ProbePoint AUTH_COMPLETED = ProbePoint.step("auth-completed");
    static final ProbePoint AUTH = ProbePoint.await("auth");
    static final ProbePoint UPSTREAM = ProbePoint.await("upstream");

    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    private final ManualTicker ticker = new ManualTicker();
    private final TaskRegistry registry = new TaskRegistry(ticker, true);
    /** The shard's owner: every write goes through this one thread, as an event loop would. */
    private final ExecutorService owner = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-loop-0"));
    private final TaskShard shard = registry.newShard("loop-0");

    @AfterEach
    void stopOwner() throws InterruptedException {
        owner.shutdownNow();
        assertThat(owner.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private <T> T onOwner(Callable<T> work) throws Exception {
        return owner.submit(work).get(10, TimeUnit.SECONDS);
    }

    private void onOwner(Runnable work) throws Exception {
        owner.submit(work).get(10, TimeUnit.SECONDS);
    }

    private static InetSocketAddress client(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    private TaskSnapshot only(TaskReport report) {
        assertThat(report.tasks()).hasSize(1);
        return report.tasks().get(0);
    }

    @Test
    void aRequestWaitingOnAuthIsReportedWithItsAddressLastStepAndWait() throws Exception {
        long[] handles = onOwner(() -> {
            long conn = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, client(40112), LOCAL);
            long req = shard.register(TaskKind.REQUEST, conn, client(40112), LOCAL);
            shard.step(req, REQUEST_READ);
            ticker.advanceMillis(1);
            shard.step(req, ROUTE_RESOLVED);
            shard.step(req, AUTH_REQUESTED);
            shard.await(req, AUTH);
            return new long[] {conn, req};
        });
        ticker.advanceMillis(9_000);

        TaskReport report = registry.query(new TaskQuery(true, 5_000, null, List.of(TaskKind.REQUEST), null, false, 10));

        TaskSnapshot t = only(report);
        assertThat(t.kind()).isEqualTo(TaskKind.REQUEST);
        assertThat(t.remote()).isEqualTo("127.0.0.1:40112");
        assertThat(t.local()).isEqualTo("127.0.0.1:8080");
        assertThat(t.loop()).isEqualTo("loop-0");
        assertThat(t.state()).isEqualTo(TaskState.WAITING);
        assertThat(t.lastStep()).isEqualTo("auth-requested");
        assertThat(t.lastStepAgoMs()).isEqualTo(9_000);
        assertThat(t.waitingOn()).isEqualTo("auth");
        assertThat(t.waitingMs()).isEqualTo(9_000);
        assertThat(t.waitingAt()).startsWith("TaskRegistryTest.java:");
        assertThat(t.ageMs()).isEqualTo(9_001);
        assertThat(t.idleMs()).isEqualTo(9_000);
        assertThat(t.stuck()).isTrue();
        assertThat(t.steps()).extracting(StepSnapshot::name)
                .containsExactly("request-read", "route-resolved", "auth-requested");
        assertThat(t.steps()).extracting(StepSnapshot::atMs).containsExactly(0.0, 1.0, 1.0);
        assertThat(t.parent()).isEqualTo(onOwner(() -> shard.idOf(handles[0])));
        // The connection is in flight too (running, no progress for 9s): counted, filtered out by kind.
        assertThat(report.inFlight()).isEqualTo(2);
        assertThat(report.stuck()).isEqualTo(2);
        assertThat(report.matched()).isEqualTo(1);

        onOwner(() -> shard.resume(handles[1], AUTH_COMPLETED));
        TaskSnapshot resumed = registry.task(t.id(), 5_000).orElseThrow();
        assertThat(resumed.state()).isEqualTo(TaskState.RUNNING);
        assertThat(resumed.waitingOn()).isNull();
        assertThat(resumed.lastStep()).isEqualTo("auth-completed");
        assertThat(resumed.stuck()).isFalse();
        assertThat(registry.query(TaskQuery.stuck(5_000, 10)).tasks()).extracting(TaskSnapshot::kind)
                .containsExactly(TaskKind.CONNECTION);
    }

    @Test
    void aTaskBecomesStuckExactlyAtTheThreshold() throws Exception {
        onOwner(() -> shard.step(shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(1), LOCAL), REQUEST_READ));
        ticker.advanceMillis(4_999);
        assertThat(registry.query(TaskQuery.stuck(5_000, 10)).stuck()).isZero();
        ticker.advanceMillis(1);
        assertThat(registry.query(TaskQuery.stuck(5_000, 10)).stuck()).isEqualTo(1);
    }

    @Test
    void progressResetsTheStuckClockButWaitingDoesNot() throws Exception {
        long req = onOwner(() -> shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(1), LOCAL));
        ticker.advanceMillis(4_000);
        onOwner(() -> shard.step(req, ROUTE_RESOLVED));
        ticker.advanceMillis(4_000);
        assertThat(registry.query(TaskQuery.stuck(5_000, 10)).stuck()).isZero();
        onOwner(() -> shard.await(req, UPSTREAM));
        ticker.advanceMillis(1_000);
        assertThat(registry.query(TaskQuery.stuck(5_000, 10)).stuck()).isEqualTo(1);
    }

    @Test
    void anIdleKeepAliveConnectionIsNeverStuck() throws Exception {
        long conn = onOwner(() -> {
            long c = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, client(1), LOCAL);
            shard.idle(c);
            return c;
        });
        ticker.advanceMillis(3_600_000);

        TaskReport report = registry.query(TaskQuery.all(5_000, 10));
        assertThat(report.stuck()).isZero();
        assertThat(report.inFlight()).isZero();
        assertThat(only(report).state()).isEqualTo(TaskState.IDLE);
        assertThat(registry.loops(5_000)).containsExactly(new LoopSnapshot("loop-0", 1, 0, 0, 1, 0));

        onOwner(() -> shard.active(conn));
        ticker.advanceMillis(5_000);
        assertThat(registry.query(TaskQuery.stuck(5_000, 10)).stuck()).isEqualTo(1);
    }

    @Test
    void stuckTasksAreGroupedByKindLastStepAndWaitLargestGroupFirst() throws Exception {
        onOwner(() -> {
            for (int n = 0; n < 3; n++) {
                long r = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(1000 + n), LOCAL);
                shard.step(r, ROUTE_RESOLVED);
                shard.await(r, AUTH);
            }
            long r = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(2000), LOCAL);
            shard.step(r, AUTH_COMPLETED);
            shard.await(r, UPSTREAM);
        });
        ticker.advanceMillis(6_000);
        onOwner(() -> {
            // Fresh: waiting, but not for long enough to count.
            long r = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(3000), LOCAL);
            shard.step(r, ROUTE_RESOLVED);
            shard.await(r, AUTH);
        });

        List<StuckGroup> groups = registry.query(TaskQuery.stuck(5_000, 100)).groups();

        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).isEqualTo(new StuckGroup(TaskKind.REQUEST, "route-resolved", "auth",
                AUTH.location(), 3, 6_000));
        assertThat(groups.get(1)).isEqualTo(new StuckGroup(TaskKind.REQUEST, "auth-completed", "upstream",
                UPSTREAM.location(), 1, 6_000));
    }

    @Test
    void queriesSortLimitFilterAndSelectKindsInsideTheTarget() throws Exception {
        onOwner(() -> {
            for (int n = 0; n < 5; n++) {
                long c = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, client(5000 + n), LOCAL);
                long r = shard.register(TaskKind.REQUEST, c, client(5000 + n), LOCAL);
                shard.step(r, n % 2 == 0 ? ROUTE_RESOLVED : AUTH_COMPLETED);
                ticker.advanceMillis(1_000);
            }
        });
        // Requests now idle for 5s, 4s, 3s, 2s, 1s (ports 5000..5004).

        TaskReport byIdle = registry.query(new TaskQuery(false, 0, null, List.of(TaskKind.REQUEST), TaskQuery.Sort.IDLE, false, 3));
        assertThat(byIdle.tasks()).extracting(TaskSnapshot::remote)
                .containsExactly("127.0.0.1:5000", "127.0.0.1:5001", "127.0.0.1:5002");
        assertThat(byIdle.matched()).isEqualTo(5);

        TaskReport freshestFirst = registry.query(new TaskQuery(false, 0, null, List.of(TaskKind.REQUEST), TaskQuery.Sort.IDLE, true, 2));
        assertThat(freshestFirst.tasks()).extracting(TaskSnapshot::remote)
                .containsExactly("127.0.0.1:5004", "127.0.0.1:5003");

        TaskReport filtered = registry.query(new TaskQuery(false, 0, "auth-comp", List.of(), TaskQuery.Sort.REMOTE, false, 10));
        assertThat(filtered.tasks()).extracting(TaskSnapshot::remote)
                .containsExactly("127.0.0.1:5001", "127.0.0.1:5003");

        TaskReport byRemote = registry.query(new TaskQuery(false, 0, ":500[34]$", List.of(TaskKind.CONNECTION), TaskQuery.Sort.REMOTE, true, 10));
        assertThat(byRemote.tasks()).extracting(TaskSnapshot::remote).containsExactly("127.0.0.1:5004", "127.0.0.1:5003");
        assertThat(byRemote.tasks()).extracting(TaskSnapshot::kind).containsOnly(TaskKind.CONNECTION);

        TaskReport stuckThreeSeconds = registry.query(new TaskQuery(true, 3_000, null, List.of(TaskKind.REQUEST), TaskQuery.Sort.ID, false, 10));
        assertThat(stuckThreeSeconds.tasks()).extracting(TaskSnapshot::remote)
                .containsExactly("127.0.0.1:5000", "127.0.0.1:5001", "127.0.0.1:5002");
        assertThat(stuckThreeSeconds.tasks()).allMatch(TaskSnapshot::stuck);
    }

    @Test
    void finishedTasksLeaveAndTheirSlotIsReusedWhileTheStaleHandleDoesNothing() throws Exception {
        long first = onOwner(() -> shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(1), LOCAL));
        long firstId = onOwner(() -> shard.idOf(first));
        assertThat(registry.query(TaskQuery.all(0, 10)).inFlight()).isEqualTo(1);

        onOwner(() -> shard.finish(first, TaskState.DONE));
        assertThat(registry.query(TaskQuery.all(0, 10)).inFlight()).isZero();
        assertThat(registry.task(firstId, 0)).isEmpty();
        assertThat(shard.live()).isZero();

        long second = onOwner(() -> shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(2), LOCAL));
        assertThat((int) second).as("same slot").isEqualTo((int) first);
        assertThat(second).as("new generation").isNotEqualTo(first);

        onOwner(() -> {
            shard.step(first, AUTH_COMPLETED);
            shard.await(first, AUTH);
            shard.warn(first, Warning.LOST_WAKEUP.bit());
            shard.finish(first, TaskState.FAILED);
        });
        assertThat(onOwner(() -> shard.isLive(first))).isFalse();
        assertThat(onOwner(() -> shard.isLive(second))).isTrue();
        TaskSnapshot t = only(registry.query(TaskQuery.all(0, 10)));
        assertThat(t.remote()).isEqualTo("127.0.0.1:2");
        assertThat(t.state()).isEqualTo(TaskState.RUNNING);
        assertThat(t.steps()).isEmpty();
        assertThat(t.warnings()).isEmpty();
        assertThat(t.id()).isNotEqualTo(firstId);
        assertThat(shard.registered()).isEqualTo(2);
        assertThat(shard.live()).isEqualTo(1);
        assertThatThrownBy(() -> shard.finish(second, TaskState.RUNNING)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFullShardRefusesCountsAndHandsOutNoTask() throws Exception {
        TaskRegistry small = new TaskRegistry(ticker, true, 3);
        TaskShard s = small.newShard("loop-0");
        long[] handles = onOwner(() -> new long[] {
                s.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(1), LOCAL),
                s.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(2), LOCAL),
                s.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(3), LOCAL),
                s.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(4), LOCAL),
                s.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(5), LOCAL)});

        assertThat(handles[3]).isEqualTo(TaskShard.NO_TASK);
        assertThat(handles[4]).isEqualTo(TaskShard.NO_TASK);
        onOwner(() -> {
            s.step(TaskShard.NO_TASK, ROUTE_RESOLVED);
            s.await(TaskShard.NO_TASK, AUTH);
            s.finish(TaskShard.NO_TASK, TaskState.DONE);
        });
        TaskReport report = small.query(TaskQuery.all(0, 10));
        assertThat(report.refused()).isEqualTo(2);
        assertThat(report.inFlight()).isEqualTo(3);
        assertThat(small.loops(0)).containsExactly(new LoopSnapshot("loop-0", 3, 3, 3, 3, 2, null, 3));

        onOwner(() -> s.finish(handles[0], TaskState.DONE));
        assertThat(onOwner(() -> s.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(6), LOCAL)))
                .isNotEqualTo(TaskShard.NO_TASK);
    }

    @Test
    void growingPastASegmentKeepsEveryTaskReadable() throws Exception {
        int count = TaskShard.SEGMENT_SLOTS * 4 + 3;
        onOwner(() -> {
            for (int n = 0; n < count; n++) {
                long r = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(10_000 + n), LOCAL);
                shard.step(r, ROUTE_RESOLVED);
            }
        });

        TaskReport report = registry.query(new TaskQuery(false, 0, null, List.of(), TaskQuery.Sort.REMOTE, false, 10_000));

        assertThat(report.inFlight()).isEqualTo(count);
        assertThat(report.tasks()).hasSize(count);
        assertThat(report.tasks()).extracting(TaskSnapshot::remote).doesNotHaveDuplicates()
                .contains("127.0.0.1:10000", "127.0.0.1:" + (10_000 + count - 1));
        assertThat(report.tasks()).allSatisfy(t -> assertThat(t.lastStep()).isEqualTo("route-resolved"));
        assertThat(report.refused()).isZero();
    }

    @Test
    void afterABurstTheShardGivesItsMemoryBackAndStaleHandlesStayHarmless() throws Exception {
        int burst = TaskShard.SEGMENT_SLOTS * 5;
        long[] handles = new long[burst];
        onOwner(() -> {
            for (int n = 0; n < burst; n++) {
                handles[n] = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(n), LOCAL);
            }
            return null;
        });
        assertThat(shard.capacity()).isEqualTo(burst);
        long survivor = handles[3];
        onOwner(() -> {
            for (int n = 0; n < burst; n++) {
                if (n != 3) {
                    shard.finish(handles[n], TaskState.DONE);
                }
            }
            return null;
        });
        assertThat(shard.capacity()).as("memory given back, one segment kept").isEqualTo(TaskShard.SEGMENT_SLOTS);
        assertThat(shard.live()).isEqualTo(1);

        long stale = handles[burst - 1];
        onOwner(() -> {
            shard.step(stale, ROUTE_RESOLVED);
            shard.finish(stale, TaskState.DONE);
            shard.step(survivor, AUTH_COMPLETED);
            return null;
        });
        assertThat(onOwner(() -> shard.isLive(stale))).isFalse();
        List<TaskSnapshot> left = registry.query(TaskQuery.all(0, 10)).tasks();
        assertThat(left).extracting(TaskSnapshot::remote).containsExactly("127.0.0.1:3");
        assertThat(left.get(0).lastStep()).isEqualTo("auth-completed");

        long again = onOwner(() -> shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(9), LOCAL));
        assertThat((int) again & TaskShard.SLOT_MASK).as("the lowest free slot").isZero();
        assertThat(onOwner(() -> shard.isLive(stale))).isFalse();
    }

    @Test
    void insideAnEventEveryCallIsStampedWithTheEventsTimeAndOutsideWithTheClock() throws Exception {
        long[] handle = new long[1];
        onOwner(() -> {
            long at = shard.beginEvent();
            try {
                handle[0] = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(1), LOCAL);
                ticker.advanceMillis(40);
                shard.step(handle[0], ROUTE_RESOLVED);
                assertThat(shard.now()).isEqualTo(at);
            } finally {
                shard.endEvent();
            }
            ticker.advanceMillis(60);
            shard.step(handle[0], AUTH_REQUESTED);
            return null;
        });
        TaskSnapshot t = registry.query(TaskQuery.all(0, 10)).tasks().get(0);
        assertThat(t.steps()).extracting(StepSnapshot::name).containsExactly("route-resolved", "auth-requested");
        assertThat(t.steps()).extracting(StepSnapshot::atMs).containsExactly(0.0, 100.0);
        assertThat(t.ageMs()).isEqualTo(100);
    }

    @Test
    void aHandleFromAnotherShardIsIgnored() throws Exception {
        TaskShard other = registry.newShard("loop-1");
        long mine = onOwner(() -> shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(1), LOCAL));
        long theirs = other.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(2), LOCAL);
        assertThat((int) mine & TaskShard.SLOT_MASK).isEqualTo((int) theirs & TaskShard.SLOT_MASK);

        onOwner(() -> shard.await(theirs, AUTH));

        assertThat(registry.query(new TaskQuery(false, 0, null, List.of(), TaskQuery.Sort.LOOP, false, 10)).tasks())
                .extracting(TaskSnapshot::loop, TaskSnapshot::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("loop-0", TaskState.RUNNING),
                        org.assertj.core.groups.Tuple.tuple("loop-1", TaskState.RUNNING));
        assertThat(onOwner(() -> shard.isLive(theirs))).isFalse();
        assertThat(shard.isLive(-1L)).isFalse();
    }

    @Test
    void handlesWorkOnTheLastShardOfAFullRegistry() {
        TaskShard last = null;
        for (int n = 1; n < TaskShard.MAX_SHARDS; n++) {
            last = registry.newShard("loop-" + n);
        }
        assertThatThrownBy(() -> registry.newShard("one-too-many")).isInstanceOf(IllegalStateException.class);
        // Only this thread writes the last shard.
        long req = last.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(1), LOCAL);
        last.step(req, ROUTE_RESOLVED);
        last.await(req, AUTH);

        TaskSnapshot t = only(registry.query(TaskQuery.all(0, 10)));
        assertThat(t.loop()).isEqualTo("loop-255");
        assertThat(t.state()).isEqualTo(TaskState.WAITING);
        assertThat(registry.task(t.id(), 0)).isPresent();
        last.finish(req, TaskState.DONE);
        assertThat(last.isLive(req)).isFalse();
        assertThat(last.live()).isZero();
    }

    @Test
    void aNullProbePointThrowsWithoutLockingTheTaskAgainstReaders() throws Exception {
        long req = onOwner(() -> shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(1), LOCAL));
        assertThatThrownBy(() -> shard.step(req, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> shard.await(req, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> shard.register(null, TaskShard.NO_TASK, null, null)).isInstanceOf(NullPointerException.class);

        onOwner(() -> shard.step(req, ROUTE_RESOLVED));

        TaskSnapshot t = only(registry.query(TaskQuery.all(0, 10)));
        assertThat(t.lastStep()).isEqualTo("route-resolved");
        assertThat(shard.live()).isEqualTo(1);
    }

    @Test
    void aTaskIsFoundByIdWithItsChildren() throws Exception {
        long[] h = onOwner(() -> {
            long conn = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, client(7), LOCAL);
            long r1 = shard.register(TaskKind.REQUEST, conn, client(7), LOCAL);
            long r2 = shard.register(TaskKind.REQUEST, conn, client(7), LOCAL);
            shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(8), LOCAL);
            return new long[] {shard.idOf(conn), shard.idOf(r1), shard.idOf(r2)};
        });

        assertThat(registry.task(h[1], 0).orElseThrow().parent()).isEqualTo(h[0]);
        assertThat(registry.children(h[0], 10, 0)).extracting(TaskSnapshot::id).containsExactly(h[1], h[2]);
        assertThat(registry.children(h[1], 10, 0)).isEmpty();
        assertThat(registry.task(h[2] + (1 << TaskShard.SHARD_BITS) * 100L, 0)).isEmpty();
    }

    @Test
    void aDisabledRegistryTracksNothing() {
        TaskRegistry off = new TaskRegistry(ticker, false);
        TaskShard s = off.newShard("loop-0");
        long t = s.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(1), LOCAL);
        s.step(t, ROUTE_RESOLVED);
        assertThat(t).isEqualTo(TaskShard.NO_TASK);
        assertThat(off.query(TaskQuery.all(0, 10)).tasks()).isEmpty();
        assertThat(s.refused()).isZero();
    }

    @Test
    void onlyTheMostRecentStepsAreKeptAndTheRestCounted() throws Exception {
        long req = onOwner(() -> shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client(1), LOCAL));
        onOwner(() -> {
            for (int n = 0; n < TaskShard.STEPS_PER_TASK + 3; n++) {
                shard.step(req, n % 2 == 0 ? ROUTE_RESOLVED : AUTH_REQUESTED);
                ticker.advanceMillis(1);
            }
        });
        TaskSnapshot t = only(registry.query(TaskQuery.all(0, 10)));
        assertThat(t.steps()).hasSize(TaskShard.STEPS_PER_TASK);
        assertThat(t.stepsDropped()).isEqualTo(3);
        assertThat(t.steps().get(0).atMs()).isEqualTo(3.0);
        assertThat(t.steps().get(TaskShard.STEPS_PER_TASK - 1).name()).isEqualTo(t.lastStep());
    }
}
