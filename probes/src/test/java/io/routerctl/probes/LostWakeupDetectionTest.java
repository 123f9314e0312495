package io.routerctl.probes;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.testing.ManualTicker;
import io.routerctl.probes.testing.Poll;
import io.routerctl.probes.snapshot.PointSummary;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.testing.AllowPendingTasks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LostWakeupDetectionTest {

    static final ProbePoint REQUEST_READ = ProbePoint.step("test-request-read");
    static final ProbePoint LOOKUP = ProbePoint.await("test-lookup");
    static final ProbePoint LOOKUP_DONE = ProbePoint.step("test-lookup-done");
    static final ProbePoint STRICT = ProbePoint.await("test-strict");

    final ManualTicker ticker = new ManualTicker();
    final TaskRegistry registry = new TaskRegistry(ticker, true);
    final TaskShard shard = registry.newShard("loop-0");

    /** Begins a tracked wait whose completer nobody keeps: returns only the waiter's future. */
    private static CompletableFuture<String> waitWithDroppedCompleter(TaskShard shard, long task, ProbePoint point) {
        Completer<String> completer = Completer.begin(shard, task, point);
        return completer.future();
    }

    private TaskSnapshot only(long olderThanMs) {
        TaskReport report = registry.query(TaskQuery.all(olderThanMs, 10));
        assertThat(report.tasks()).hasSize(1);
        return report.tasks().get(0);
    }

    /**
     * A completed wait clears its watch, so the collector never hands it to the detector, even while
     * its task has not resumed yet (the continuation still queued on the loop) and the producer has
     * dropped the completer: only the completer dropped without completing reaches the queue.
     */
    @Test
    @AllowPendingTasks("completed waits whose continuation has not run yet, and one lost wake-up")
    void onlyTheLostCompleterReachesTheDetectorNotTheCompletedOnes() {
        for (int i = 0; i < 1_000; i++) {
            long t = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
            Completer<String> c = Completer.begin(shard, t, LOOKUP);
            c.complete("ok");
        }
        long lost = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
        CompletableFuture<String> future = waitWithDroppedCompleter(shard, lost, LOOKUP);

        Poll.until(Duration.ofSeconds(20), "the dropped completer to be proven lost", () -> {
            registry.collectLostWakeups(Duration.ofSeconds(1));
            return registry.lostWakeupsFound() == 1;
        });
        registry.collectLostWakeups(Duration.ofSeconds(1));
        assertThat(registry.lostWakeups().examined()).as("watches the detector had to examine").isEqualTo(1);
        assertThat(future).isNotDone();
    }

    @Test
    @AllowPendingTasks("the lost wake-up is the subject of the test")
    void droppedCompleterIsReportedAsLostWakeupNamingThePoint() {
        long task = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
        shard.step(task, REQUEST_READ);
        CompletableFuture<String> future = waitWithDroppedCompleter(shard, task, LOOKUP);
        ticker.advance(Duration.ofSeconds(6));

        Poll.until(Duration.ofSeconds(20), "the dropped completer to be proven lost", () -> {
            registry.collectLostWakeups(Duration.ofSeconds(1));
            return only(5_000).warnings().contains("lost-wakeup");
        });

        TaskSnapshot t = only(5_000);
        assertThat(t.waitingOn()).isEqualTo("test-lookup");
        assertThat(t.waitingAt()).startsWith("LostWakeupDetectionTest.java:");
        assertThat(t.lastStep()).isEqualTo("test-request-read");
        assertThat(future).isNotDone();
        TaskReport report = registry.query(TaskQuery.stuck(5_000, 10));
        assertThat(report.groups()).singleElement().satisfies(g -> {
            assertThat(g.lostWakeups()).isEqualTo(1);
            assertThat(g.waitingOn()).isEqualTo("test-lookup");
        });
        assertThat(report.points()).filteredOn(p -> p.name().equals("test-lookup"))
                .singleElement().extracting(PointSummary::lostWakeups).isEqualTo(1L);
        shard.finish(task, TaskState.ABANDONED);
    }

    @Test
    void completerHeldByASlowProducerIsNotALostWakeup() throws Exception {
        long task = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
        AtomicReference<Completer<String>> producerHolds = new AtomicReference<>(Completer.begin(shard, task, LOOKUP));
        CompletableFuture<String> future = producerHolds.get().future();
        ticker.advance(Duration.ofSeconds(30));

        registry.collectLostWakeups(Duration.ofSeconds(1));
        assertThat(only(5_000).warnings()).doesNotContain("lost-wakeup");

        CountDownLatch done = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            producerHolds.get().complete("late but fine");
            done.countDown();
        });
        producer.start();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(future.get()).isEqualTo("late but fine");
        shard.resume(task, LOOKUP_DONE);
        registry.collectLostWakeups(Duration.ofMillis(300));
        TaskSnapshot t = only(5_000);
        assertThat(t.warnings()).isEmpty();
        assertThat(t.state()).isEqualTo(TaskState.RUNNING);
        shard.finish(task, TaskState.DONE);
    }

    @Test
    void aTaskThatHasNotStartedWaitingIsNeitherStuckNorWarned() {
        long task = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
        ticker.advance(Duration.ofSeconds(1));
        registry.collectLostWakeups(Duration.ofMillis(300));
        TaskSnapshot t = only(5_000);
        assertThat(t.stuck()).isFalse();
        assertThat(t.warnings()).isEmpty();
        shard.finish(task, TaskState.DONE);
    }

    @Test
    @AllowPendingTasks("the failed future resumes nothing: the test finishes the task itself")
    void failPolicyTurnsTheHangIntoAnExplainedError() {
        registry.lostWakeupPolicy(STRICT, LostWakeupPolicy.FAIL);
        long task = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
        CompletableFuture<String> future = waitWithDroppedCompleter(shard, task, STRICT);

        Poll.until(Duration.ofSeconds(20), "the future to fail", () -> {
            registry.collectLostWakeups(Duration.ofSeconds(1));
            return future.isDone();
        });

        assertThatThrownBy(future::get)
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LostWakeupException.class)
                .hasMessageContaining("lost wake-up at test-strict (LostWakeupDetectionTest.java:")
                .hasMessageContaining("dropped without completing");
        shard.finish(task, TaskState.FAILED);
    }

    @Test
    void completingTwiceOrAfterTheWaiterGaveUpIsCountedNotThrown() {
        long task = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
        Completer<String> twice = Completer.begin(shard, task, LOOKUP);
        assertThat(twice.complete("first")).isTrue();
        assertThat(twice.complete("second")).isFalse();
        assertThat(twice.fail(new IllegalStateException("third"))).isFalse();
        shard.resume(task, LOOKUP_DONE);

        Completer<String> abandoned = Completer.begin(shard, task, LOOKUP);
        abandoned.future().cancel(false);
        assertThat(abandoned.complete("too late")).isFalse();
        shard.resume(task);

        PointSummary lookup = registry.query(TaskQuery.all(5_000, 10)).points().stream()
                .filter(p -> p.name().equals("test-lookup")).findFirst().orElseThrow();
        assertThat(lookup.doubleCompletions()).isEqualTo(2);
        assertThat(lookup.lateCompletions()).isEqualTo(1);
        shard.finish(task, TaskState.DONE);
    }
}
