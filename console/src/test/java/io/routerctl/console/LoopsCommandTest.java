package io.routerctl.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.InProcessTarget;
import io.routerctl.probes.LoopWatchdog;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.Ticker;
import io.routerctl.probes.testing.Poll;
import io.routerctl.playbooks.JsonDocuments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * loops against a target whose two loops are watched by a real {@link LoopWatchdog}: loop-1 is
 * held by a task that waits on a latch in {@link #holdTheLoop}, so its heartbeat never runs, the
 * watchdog calls it blocked and captures its stack; loop-0 runs freely.
 */
class LoopsCommandTest {

    @TempDir
    Path attachDir;

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch holding = new CountDownLatch(1);
    private ExecutorService free;
    private ExecutorService held;
    private LoopWatchdog watchdog;
    private InProcessTarget target;

    @BeforeEach
    void start() throws IOException, InterruptedException {
        TaskRegistry registry = new TaskRegistry(Ticker.system(), true);
        TaskShard shard0 = registry.newShard("loop-0");
        TaskShard shard1 = registry.newShard("loop-1");
        free = Executors.newSingleThreadExecutor();
        held = Executors.newSingleThreadExecutor();
        watchdog = new LoopWatchdog(Ticker.system(), Duration.ofMillis(10), Duration.ofMillis(50));
        watchdog.watch(shard0, free);
        watchdog.watch(shard1, held);
        target = new InProcessTarget(attachDir, registry);
        // Let the watchdog learn loop-1's thread from one heartbeat before the loop is held.
        Poll.until(Duration.ofSeconds(20), "loop-1 reports health", () -> loops().get(1).hasNonNull("health"));
        held.execute(this::holdTheLoop);
        assertThat(holding.await(20, TimeUnit.SECONDS)).isTrue();
    }

    private void holdTheLoop() {
        holding.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode loops() {
        Cli.Result r = target.run("loops", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try {
            return JsonDocuments.mapper().readTree(r.out()).get("loops");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void stop() {
        release.countDown();
        watchdog.close();
        free.shutdownNow();
        held.shutdownNow();
        target.close();
    }

    @Test
    void blockedLoopShowsHowLongAndTheStackWhereItIsHeld() {
        Poll.until(Duration.ofSeconds(20), "loop-1 blocked", () -> loops().get(1).get("health").get("blocked").asBoolean());
        JsonNode loops = loops();
        assertThat(loops.get(0).get("health").get("blocked").asBoolean()).isFalse();
        JsonNode health = loops.get(1).get("health");
        // At least one: on a starved machine a heartbeat can be 50 ms late before the loop is held, too.
        assertThat(health.get("episodes").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(health.get("blocked_stack").toString()).contains("holdTheLoop");

        Cli.Result r = target.run("loops");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("loop-1 .* BLOCKED \\d");
        assertThat(r.out()).contains("loop-1 is blocked for ");
        String stack = r.out().substring(r.out().indexOf("innermost frame first:"));
        assertThat(stack.lines().skip(1).limit(8).anyMatch(l -> l.contains("LoopsCommandTest.holdTheLoop"))).isTrue();
        assertThat(stack).contains("outer frames");
    }
}
