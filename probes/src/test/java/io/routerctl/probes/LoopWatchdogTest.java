package io.routerctl.probes;

import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.snapshot.LoopHealth;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.testing.ManualTicker;
import io.routerctl.probes.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class LoopWatchdogTest {

    final TaskRegistry registry = new TaskRegistry(Ticker.system(), true);
    final ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-loop-0"));
    final LoopWatchdog watchdog = new LoopWatchdog(Ticker.system(), Duration.ofMillis(20), Duration.ofMillis(300));

    @AfterEach
    void stop() {
        watchdog.close();
        loop.shutdownNow();
    }

    /** Stands for a handler that does blocking work on its event loop. */
    static void renderReportBlocking(CountDownLatch release) throws InterruptedException {
        release.await(30, TimeUnit.SECONDS);
    }

    @Test
    void aBlockedLoopIsReportedWithTheStackNamingTheBlockingMethod() throws Exception {
        TaskShard shard = registry.newShard("loop-0");
        watchdog.watch(shard, loop);
        long task = loop.submit(() -> shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null)).get();
        Poll.until(Duration.ofSeconds(10), "a first heartbeat", () -> shard.health() != null && shard.health().lagMs() >= 0
                && !shard.health().blocked());

        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                renderReportBlocking(release);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Poll.until(Duration.ofSeconds(10), "the loop to be seen blocked", shard::isBlocked);

        LoopHealth health = registry.loops(5_000).get(0).health();
        assertThat(health.blocked()).isTrue();
        assertThat(health.episodes()).isEqualTo(1);
        assertThat(health.blockedStack()).anySatisfy(f -> assertThat(f).contains("renderReportBlocking"));
        assertThat(registry.query(TaskQuery.all(5_000, 10)).tasks().get(0).warnings()).contains("blocked-loop");

        release.countDown();
        Poll.until(Duration.ofSeconds(10), "the loop to run again", () -> !shard.isBlocked());
        LoopSnapshot after = registry.loops(5_000).get(0);
        assertThat(after.health().blocked()).isFalse();
        assertThat(after.health().blockedStack()).as("the last episode's stack stays visible")
                .anySatisfy(f -> assertThat(f).contains("renderReportBlocking"));
        assertThat(registry.query(TaskQuery.all(5_000, 10)).tasks().get(0).warnings()).doesNotContain("blocked-loop");
        loop.submit(() -> shard.finish(task, TaskState.DONE)).get();
    }

    @Test
    void aHealthyLoopIsNeverBlocked() throws Exception {
        TaskShard shard = registry.newShard("loop-0");
        watchdog.watch(shard, loop);
        for (int i = 0; i < 50; i++) {
            loop.submit(() -> { }).get();
        }
        Poll.until(Duration.ofSeconds(10), "a few heartbeats", () -> shard.health() != null);
        assertThat(shard.isBlocked()).isFalse();
        assertThat(shard.health().episodes()).isZero();
    }

    @Test
    void anErrorInACheckIsCountedAndTheWatchdogKeepsWatching() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        Ticker failingOnce = () -> {
            // The watchdog's third look at the clock fails, as an allocation might when memory runs out.
            if (Thread.currentThread().getName().equals("routerctl-loop-watchdog") && reads.incrementAndGet() == 3) {
                throw new OutOfMemoryError("Java heap space (test)");
            }
            return System.nanoTime();
        };
        long before = InternalErrors.count();
        try (LoopWatchdog failing = new LoopWatchdog(failingOnce, Duration.ofMillis(20), Duration.ofMillis(300))) {
            TaskShard shard = registry.newShard("loop-0");
            failing.watch(shard, loop);
            Poll.until(Duration.ofSeconds(10), "the error counted", () -> InternalErrors.count() > before);
            // Other tests' threads may record errors too (process-wide): look among the latest.
            assertThat(InternalErrors.recent()).anySatisfy(e -> assertThat(e).contains("routerctl-loop-watchdog", "(test)"));
            long afterError = reads.get();
            Poll.until(Duration.ofSeconds(10), "checks after the error", () -> reads.get() > afterError + 10);
            assertThat(shard.health()).as("still watched").isNotNull();
        }
    }
}
