package io.routerctl.samples.load;

import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.Ticker;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.runtime.RouterRuntime;
import io.routerctl.samples.SampleServer;
import io.routerctl.samples.auth.LatencyRange;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

class LoadGeneratorTest {

    @Test
    void recordsEachRequestsClientAddressAndAnswer() throws Exception {
        try (SampleServer server = SampleServer.start(new SampleServer.Options().port(0).loops(2).adapter("fixed")
                .attach(false).authLatency(LatencyRange.parse("0..1ms")));
             LoadGenerator load = LoadGenerator.to("127.0.0.1", server.port()).rate(400).maxRequests(200)
                     .record(true).start()) {
            assertThat(load.awaitDone(Duration.ofSeconds(30))).isTrue();
            List<RequestRecord> records = load.records();
            assertThat(records).hasSize(200).allSatisfy(r -> {
                assertThat(r.answered()).isTrue();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.localAddress()).matches("127\\.0\\.0\\.1:\\d+");
            });
            LoadReport report = load.report();
            assertThat(report.sent()).isEqualTo(200);
            assertThat(report.ok()).isEqualTo(200);
            assertThat(report.inFlight()).isZero();
            assertThat(records.stream().map(RequestRecord::localAddress).distinct().count())
                    .isEqualTo(report.opened());
        }
    }

    @Test
    void unansweredRequestsTimeOutByClosingTheirConnectionsAndLeaveTheServer() throws Exception {
        TaskRegistry registry = new TaskRegistry(Ticker.system(), true);
        try (RouterRuntime silent = RouterRuntime.builder().port(0).loops(1).attach(false).registry(registry)
                .handler((ctx, request) -> { /* never answers */ }).start();
             LoadGenerator load = LoadGenerator.to("127.0.0.1", silent.port()).rate(100).maxRequests(5)
                     .timeout(Duration.ofMillis(300)).record(true).start()) {
            assertThat(load.awaitDone(Duration.ofSeconds(30))).isTrue();
            assertThat(load.records()).hasSize(5).allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo(RequestRecord.Outcome.TIMED_OUT);
                assertThat(r.localAddress()).isNotNull();
            });
            assertThat(load.report().timedOut()).isEqualTo(5);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (registry.query(TaskQuery.all(60_000, 10)).tasks().size() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000); // poll interval
            }
            assertThat(registry.query(TaskQuery.all(60_000, 10)).tasks()).isEmpty();
        }
    }

    @Test
    void closingTheGeneratorClosesConnectionsWithRequestsInFlight() throws Exception {
        TaskRegistry registry = new TaskRegistry(Ticker.system(), true);
        try (RouterRuntime silent = RouterRuntime.builder().port(0).loops(1).attach(false).registry(registry)
                .handler((ctx, request) -> { /* never answers */ }).start()) {
            LoadGenerator load = LoadGenerator.to("127.0.0.1", silent.port()).rate(100).maxRequests(5)
                    .timeout(Duration.ofMinutes(5)).record(true).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            // Count requests, not "in flight": a connection whose request head is half read is in
            // flight too, for a moment, so that count flickers.
            TaskQuery requests = new TaskQuery(false, 60_000, null, java.util.List.of(io.routerctl.probes.snapshot.TaskKind.REQUEST), null, false, 100);
            while (registry.query(requests).matched() < 5 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000); // poll interval
            }
            assertThat(registry.query(requests).matched()).isEqualTo(5);
            load.close();
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!registry.query(TaskQuery.all(60_000, 10)).tasks().isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000); // poll interval
            }
            assertThat(registry.query(TaskQuery.all(60_000, 10)).tasks()).isEmpty();
        }
    }
}
