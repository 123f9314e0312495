package io.routerctl.probes.jfr;

import io.routerctl.probes.Completer;
import io.routerctl.probes.LoopWatchdog;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.Ticker;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.testing.AllowPendingTasks;
import io.routerctl.probes.testing.ManualTicker;
import io.routerctl.probes.testing.Poll;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What a JFR recording holds of routerctl's findings, read back as {@code jfr print} would. */
class FlightEventsTest {

    static final ProbePoint LOOKUP = ProbePoint.await("jfr-lookup");
    static final ProbePoint READ = ProbePoint.step("jfr-request-read");
    /**
     * The summary test's own point: JDK 17's JFR may write a pooled string (16 to 128 chars) seen
     * by an earlier recording in this JVM as missing from a later one, so tests do not share them.
     */
    static final ProbePoint SUMMARY_LOOKUP = ProbePoint.await("jfr-summary-lookup");

    @TempDir
    Path dir;

    private List<RecordedEvent> read(Recording recording, String name) throws Exception {
        Path file = dir.resolve(name + ".jfr");
        recording.dump(file);
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    private static CompletableFuture<String> dropCompleter(TaskShard shard, long task) {
        return Completer.<String>begin(shard, task, LOOKUP).future();
    }

    @Test
    @AllowPendingTasks("the lost wake-up is the subject of the test")
    void aProvenLostWakeupIsRecordedWithItsPointAddressAndAge() throws Exception {
        ManualTicker ticker = new ManualTicker();
        TaskRegistry registry = new TaskRegistry(ticker, true);
        TaskShard shard = registry.newShard("loop-7");
        try (Recording recording = new Recording()) {
            recording.enable(LostWakeupEvent.NAME);
            recording.start();
            long task = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK,
                    new InetSocketAddress("127.0.0.1", 40112), new InetSocketAddress("127.0.0.1", 8080));
            shard.step(task, READ);
            CompletableFuture<String> future = dropCompleter(shard, task);
            ticker.advance(Duration.ofSeconds(12));
            Poll.until(Duration.ofSeconds(20), "the dropped completer to be proven lost", () -> {
                registry.collectLostWakeups(Duration.ofSeconds(1));
                return registry.lostWakeupsFound() == 1;
            });
            recording.stop();

            List<RecordedEvent> events = read(recording, LostWakeupEvent.NAME);
            assertThat(events).hasSize(1);
            RecordedEvent e = events.get(0);
            assertThat(e.getString("point")).isEqualTo("jfr-lookup");
            assertThat(e.getString("codeLocation")).isEqualTo(LOOKUP.location()).startsWith("FlightEventsTest.java:");
            assertThat(e.getString("remote")).isEqualTo("127.0.0.1:40112");
            assertThat(e.getString("kind")).isEqualTo("request");
            assertThat(e.getString("lastStep")).isEqualTo("jfr-request-read");
            assertThat(e.getString("loop")).isEqualTo("loop-7");
            assertThat(e.getLong("taskId")).isEqualTo(registry.query(io.routerctl.probes.snapshot.TaskQuery.all(0, 1))
                    .tasks().get(0).id());
            assertThat(e.getDuration("waited")).isEqualTo(Duration.ofSeconds(12));
            assertThat(future).isNotDone();
        }
    }

    @Test
    @AllowPendingTasks("the stuck request is the subject of the test")
    void thePeriodicSummaryCountsStuckTasksByPointWithTheOldestAddress() throws Exception {
        ManualTicker ticker = new ManualTicker();
        TaskRegistry registry = new TaskRegistry(ticker, true);
        TaskShard shard = registry.newShard("loop-0");
        long oldest = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, new InetSocketAddress("127.0.0.1", 40001), null);
        shard.await(oldest, SUMMARY_LOOKUP);
        ticker.advance(Duration.ofSeconds(3));
        long second = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, new InetSocketAddress("127.0.0.1", 40002), null);
        shard.await(second, SUMMARY_LOOKUP);
        ticker.advance(Duration.ofSeconds(6));
        try (Recording recording = new Recording()) {
            recording.enable(StuckTasksEvent.NAME).withPeriod(Duration.ofMillis(100));
            recording.start();
            Path file = dir.resolve("summary.jfr");
            List<RecordedEvent> mine = Poll.value(Duration.ofSeconds(20), "a summary naming jfr-summary-lookup", () -> {
                try {
                    recording.dump(file);
                    List<RecordedEvent> found = RecordingFile.readAllEvents(file).stream()
                            .filter(e -> e.getEventType().getName().equals(StuckTasksEvent.NAME))
                            .filter(e -> "jfr-summary-lookup".equals(e.getString("point"))).toList();
                    return found.isEmpty() ? null : found;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            RecordedEvent e = mine.get(0);
            assertThat(e.getInt("stuck")).isEqualTo(2);
            assertThat(e.getString("kind")).isEqualTo("request");
            assertThat(e.getString("oldestRemote")).isEqualTo("127.0.0.1:40001");
            assertThat(e.getDuration("oldest")).isEqualTo(Duration.ofSeconds(9));
            assertThat(e.getLong("oldestTaskId")).isEqualTo(registry.query(io.routerctl.probes.snapshot.TaskQuery.all(0, 1))
                    .tasks().get(0).id());
        }
        shard.finish(oldest, io.routerctl.probes.snapshot.TaskState.DONE);
        shard.finish(second, io.routerctl.probes.snapshot.TaskState.DONE);
    }

    @Test
    void aBlockedLoopIsRecordedWithTheFrameThatHoldsIt() throws Exception {
        TaskRegistry registry = new TaskRegistry(Ticker.system(), true);
        TaskShard shard = registry.newShard("loop-blocked");
        ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "jfr-test-loop"));
        CountDownLatch release = new CountDownLatch(1);
        try (Recording recording = new Recording();
             LoopWatchdog watchdog = new LoopWatchdog(Ticker.system(), Duration.ofMillis(20), Duration.ofMillis(200))) {
            recording.enable(BlockedLoopEvent.NAME);
            recording.start();
            watchdog.watch(shard, loop);
            loop.execute(() -> Renderer.render(release));
            Poll.until(Duration.ofSeconds(20), "the watchdog to see the loop blocked",
                    () -> registry.blockedNow() == 1);
            release.countDown();
            recording.stop();

            List<RecordedEvent> events = read(recording, BlockedLoopEvent.NAME);
            assertThat(events).hasSize(1);
            RecordedEvent e = events.get(0);
            assertThat(e.getString("loop")).isEqualTo("loop-blocked");
            assertThat(e.getString("thread")).isEqualTo("jfr-test-loop");
            assertThat(e.getDuration("blockedFor")).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(e.getString("blockedIn")).startsWith(Renderer.class.getName() + ".render(");
            assertThat(e.getString("stack")).contains("FlightEventsTest.java");
        } finally {
            release.countDown();
            loop.shutdownNow();
            assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void withoutARecordingNothingIsBuiltOrCommitted() {
        assertThat(FlightEvents.lostWakeupWanted()).isFalse();
        assertThat(new LostWakeupEvent().isEnabled()).isFalse();
        assertThat(new BlockedLoopEvent().isEnabled()).isFalse();
    }

    /** Service code that holds its loop: the frame the event must name. */
    static final class Renderer {
        static void render(CountDownLatch release) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
