package io.routerctl.probes.micrometer;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.testing.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What a Prometheus scrape of a service with routerctl's meters shows. */
class RouterctlMetricsTest {

    static final ProbePoint AUTH = ProbePoint.await("metrics-auth");
    static final ProbePoint UPSTREAM = ProbePoint.await("metrics-upstream");
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    private final ManualTicker ticker = new ManualTicker();
    private final TaskRegistry registry = new TaskRegistry(ticker, true);
    private final TaskShard shard = registry.newShard("loop-0");
    private final ExecutorService owner = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-loop-0"));
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RouterctlMetrics metrics = RouterctlMetrics.builder(registry)
            .refresh(Duration.ofHours(1)) // the test counts explicitly
            .build();

    @AfterEach
    void stop() throws InterruptedException {
        metrics.close();
        owner.shutdownNow();
        assertThat(owner.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private long request(int port, ProbePoint waitsOn) throws Exception {
        return owner.submit(() -> {
            long r = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, new InetSocketAddress("127.0.0.1", port), LOCAL);
            if (waitsOn != null) {
                shard.await(r, waitsOn);
            }
            return r;
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aScrapeShowsStuckTasksPerKindAndPointAndTheOldestAge() throws Exception {
        request(40001, AUTH);
        request(40002, AUTH);
        request(40003, UPSTREAM);
        owner.submit(() -> shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK,
                new InetSocketAddress("127.0.0.1", 40004), LOCAL)).get(10, TimeUnit.SECONDS);
        metrics.bindTo(prometheus);

        String fresh = prometheus.scrape();
        assertThat(fresh).contains("routerctl_tasks_inflight{kind=\"request\"} 3.0")
                .doesNotContain("routerctl_tasks_stuck{");

        ticker.advance(Duration.ofSeconds(7));
        request(40005, AUTH); // young: not stuck
        metrics.refreshNow();
        String scrape = prometheus.scrape();

        assertThat(scrape)
                .contains("routerctl_tasks_inflight{kind=\"request\"} 4.0")
                .contains("routerctl_tasks_stuck{kind=\"request\",point=\"metrics-auth\"} 2.0")
                .contains("routerctl_tasks_stuck{kind=\"request\",point=\"metrics-upstream\"} 1.0")
                .contains("routerctl_tasks_stuck_oldest_seconds{kind=\"request\",point=\"metrics-auth\"} 7.0")
                .contains("routerctl_wakeups_lost_total 0.0")
                .contains("routerctl_loops_blocked_total 0.0")
                .contains("routerctl_loops_blocked_now 0.0")
                .contains("routerctl_tasks_refused_total 0.0")
                .contains("routerctl_updates_dropped_total");
    }

    @Test
    void aPointWithNothingStuckAnyMoreLeavesTheScrape() throws Exception {
        long r = request(40001, UPSTREAM);
        ticker.advance(Duration.ofSeconds(7));
        metrics.bindTo(prometheus);
        assertThat(prometheus.scrape()).contains("routerctl_tasks_stuck{kind=\"request\",point=\"metrics-upstream\"} 1.0");

        owner.submit(() -> shard.finish(r, io.routerctl.probes.snapshot.TaskState.DONE)).get(10, TimeUnit.SECONDS);
        metrics.refreshNow();

        assertThat(prometheus.scrape()).doesNotContain("point=\"metrics-upstream\"")
                .contains("routerctl_tasks_inflight{kind=\"request\"} 0.0");
    }

    @Test
    void refusedRegistrationsAreCounted() throws Exception {
        TaskRegistry tiny = new TaskRegistry(ticker, true, 1);
        TaskShard one = tiny.newShard("loop-0");
        owner.submit(() -> {
            one.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
            one.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
            one.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
        }).get(10, TimeUnit.SECONDS);
        try (RouterctlMetrics m = new RouterctlMetrics(tiny)) {
            m.bindTo(prometheus);
            assertThat(prometheus.scrape()).contains("routerctl_tasks_refused_total 2.0");
        }
    }

    @Test
    void theRefresherCountsOnItsOwnThread() throws Exception {
        request(40001, AUTH);
        ticker.advance(Duration.ofSeconds(9));
        try (RouterctlMetrics m = RouterctlMetrics.builder(registry).refresh(Duration.ofMillis(100)).build()) {
            m.bindTo(prometheus);
            request(40002, UPSTREAM);
            ticker.advance(Duration.ofSeconds(9));
            io.routerctl.probes.testing.Poll.until(Duration.ofSeconds(10), "the refresher shows the new stuck point",
                    () -> prometheus.scrape().contains("point=\"metrics-upstream\""));
        }
    }
}
