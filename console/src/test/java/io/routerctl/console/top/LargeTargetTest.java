package io.routerctl.console.top;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Top against a registry holding 200,000 tasks: the first rows come fast because the target sorts
 * and limits, and however far the user scrolls the console never holds more than its cap of rows.
 */
class LargeTargetTest {

    private static final ProbePoint REQUEST_READ = ProbePoint.step("request-read");
    private static final ProbePoint ROUTE_RESOLVED = ProbePoint.step("route-resolved");
    private static final ProbePoint AUTH = ProbePoint.await("auth");
    private static final ProbePoint AUTH_COMPLETED = ProbePoint.step("auth-completed");

    @Test
    void twoHundredThousandTasksShowTheirTopRowsFastAndMemoryStaysBounded() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        TaskRegistry registry = new TaskRegistry(now::get, true);
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
        long[][] requests = new long[2][50_000];
        for (int s = 0; s < 2; s++) {
            TaskShard shard = registry.newShard("loop-" + s);
            for (int i = 0; i < 50_000; i++) {
                int n = s * 50_000 + i;
                InetSocketAddress remote = new InetSocketAddress(
                        InetAddress.getByAddress(new byte[] {127, 1, (byte) (n >> 8), (byte) n}), 40_000 + (n % 20_000));
                long connection = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, remote, local);
                long request = shard.register(TaskKind.REQUEST, connection, remote, local);
                shard.step(request, REQUEST_READ);
                shard.step(request, ROUTE_RESOLVED);
                shard.await(request, AUTH);
                shard.idle(connection);
                requests[s][i] = request;
            }
        }
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));
        // A tenth of the requests get their auth answer now; the rest stay stuck.
        for (int s = 0; s < 2; s++) {
            TaskShard shard = registry.shards().get(s);
            assertThat(shard.live()).isEqualTo(100_000);
            for (int i = 0; i < 50_000; i += 10) {
                shard.resume(requests[s][i], AUTH_COMPLETED);
            }
        }
        long queryStarted = System.nanoTime();
        registry.query(io.routerctl.probes.snapshot.TaskQuery.all(5_000, 200));
        System.out.println("one in-target query over 200,000 tasks (cold): "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - queryStarted) + " ms");

        DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(200, 60));
        ScreenWatcher watcher = new ScreenWatcher(terminal);
        AtomicReference<TopModel> lastModel = new AtomicReference<>();
        RegistryTarget target = new RegistryTarget(registry, "large-router");
        TopSession session = new TopSession(terminal, target,
                new TopSettings(Duration.ofMillis(500), 5_000, null, 200, 2_000), Theme.colour(),
                new TopSessionTest.RecordingHooks(), attempt -> 0, model -> {
                    lastModel.set(model);
                    watcher.accept(model);
                });
        long started = System.nanoTime();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return session.run(target);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        String screen = watcher.awaitText("127.1.");
        long firstRowsMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("top against 200,000 tasks: first rows on screen after " + firstRowsMs + " ms");
        assertThat(screen).contains("in flight 100,000", "stuck 90,000", "(first 200 loaded)");
        assertThat(screen).containsPattern("⚠ 90,000 stuck: 90,000 waiting on auth after route-resolved");

        terminal.addInput(Keys.ch('G'));
        screen = watcher.awaitText("(first 2,000 loaded, at most 2,000: narrow with / or s)");
        terminal.addInput(Keys.ch('q'));
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        // Each listed request's connection is left out of the rows (c shows them): the last of the
        // 2,000 loaded is the last row, and the count says what the rows hold.
        int visible = lastModel.get().rows().size();
        int folded = lastModel.get().foldedConnections();
        assertThat(visible + folded).isEqualTo(2_000);
        assertThat(screen).contains("-" + visible + " of " + String.format(java.util.Locale.ROOT, "%,d", 200_000 - folded) + " (first 2,000 loaded",
                String.format(java.util.Locale.ROOT, "%,d", folded) + " connections hidden (c)");
        assertThat(lastModel.get().rows()).hasSizeLessThanOrEqualTo(2_000);
        assertThat(target.largestLimit.get()).as("never more rows asked of the target than the cap").isEqualTo(2_000);
        assertThat(firstRowsMs).as("first rows within seconds even on a loaded CI machine").isLessThan(10_000);
    }
}
