package io.routerctl.samples.detect;

import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.testing.AllowPendingTasks;
import io.routerctl.samples.SampleServer;
import io.routerctl.samples.load.LoadGenerator;
import io.routerctl.samples.load.RequestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The figures of docs/detectors.md, measured on the sample router in buggy mode: the hang rate at
 * about 300 req/s and at 1 req/s, the share of hung requests proven lost wake-ups, and how long
 * after they hung the proof came, by the GCs the load causes on its own and after the {@code gc}
 * op ({@code dump-stuck --gc}). Not part of the normal run; run it with
 *
 * <pre>
 * mvn -B -q -pl samples -am test -Dtest=LostWakeupMeasurement -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Drouterctl.measure=true [-Drouterctl.measure.seconds=30] [-Drouterctl.measure.slowSeconds=60]
 * </pre>
 *
 * It prints one block of figures to stdout (and {@code target/lost-wakeup-measurement.txt}).
 */
@EnabledIfSystemProperty(named = "routerctl.measure", matches = "true")
class LostWakeupMeasurement {

    @Test
    @AllowPendingTasks("the buggy adapter loses wake-ups on purpose; the clients are closed at the end")
    void measure() throws Exception {
        int seconds = Integer.getInteger("routerctl.measure.seconds", 30);
        int slowSeconds = Integer.getInteger("routerctl.measure.slowSeconds", 60);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "load average before: %s, cores %d, GC %s%n", loadAverage(),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining(", "))));
        try (SampleServer server = SampleServer.start(new SampleServer.Options().port(0).adapter("buggy").attach(false))) {
            // How long after its hang each request was first seen proven (ms), by task id.
            Map<Long, Long> provenAfterMs = new HashMap<>();
            LoadGenerator load = LoadGenerator.to("127.0.0.1", server.port()).rate(300)
                    .duration(Duration.ofSeconds(seconds)).timeout(Duration.ofMinutes(10)).record(true).start();
            try {
                long loadEnd = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                long quietEnd = loadEnd + Duration.ofSeconds(10).toNanos();
                long gcCountBefore = gcCount();
                while (System.nanoTime() < quietEnd) {
                    observe(server, provenAfterMs);
                    LockSupport.parkNanos(50_000_000); // sampling interval
                }
                long gcsDuringRun = gcCount() - gcCountBefore;
                List<RequestRecord> hung = load.records().stream().filter(r -> !r.answered()).toList();
                Set<String> hungClients = hung.stream().map(RequestRecord::localAddress).collect(Collectors.toSet());
                List<TaskSnapshot> stuckAuth = authWaits(server);
                long provenWithoutGc = stuckAuth.stream().filter(t -> t.warnings().contains("lost-wakeup")).count();

                long gcStart = System.nanoTime();
                long foundByGc = server.registry().collectLostWakeups(Duration.ofSeconds(5));
                long gcTookMs = (System.nanoTime() - gcStart) / 1_000_000;
                List<TaskSnapshot> afterGc = authWaits(server);
                Set<String> provenClients = afterGc.stream().filter(t -> t.warnings().contains("lost-wakeup"))
                        .map(TaskSnapshot::remote).collect(Collectors.toSet());
                long sent = load.report().sent();

                List<Long> delays = new ArrayList<>(provenAfterMs.values());
                delays.sort(null);
                out.append(String.format(Locale.ROOT, "300 req/s for %ds: sent %d, hung %d (%.2f%%)%n",
                        seconds, sent, hung.size(), 100.0 * hung.size() / Math.max(1, sent)));
                out.append(String.format(Locale.ROOT,
                        "  proven lost-wakeup without --gc (by the %d GCs the run caused, within 10 s after the load): "
                                + "%d of %d (%.0f%%); after the hang by p50 %s ms, max %s ms%n",
                        gcsDuringRun, provenWithoutGc, hung.size(), 100.0 * provenWithoutGc / Math.max(1, hung.size()),
                        percentile(delays, 0.5), percentile(delays, 1.0)));
                out.append(String.format(Locale.ROOT,
                        "  after the gc op (dump-stuck --gc; took %d ms, proved %d more): %d of %d hung clients (%.0f%%),"
                                + " other tasks proven %d%n",
                        gcTookMs, foundByGc, countIn(provenClients, hungClients), hung.size(),
                        100.0 * countIn(provenClients, hungClients) / Math.max(1, hung.size()),
                        provenClients.size() - countIn(provenClients, hungClients)));
                assertThat(provenClients).as("every hung request proven after the gc op").isEqualTo(hungClients);
            } finally {
                load.close();
            }
        }
        if (slowSeconds > 0) {
            try (SampleServer server = SampleServer.start(new SampleServer.Options().port(0).adapter("buggy").attach(false));
                 LoadGenerator load = LoadGenerator.to("127.0.0.1", server.port()).rate(1).poisson(false)
                         .duration(Duration.ofSeconds(slowSeconds)).timeout(Duration.ofSeconds(30)).record(true).start()) {
                load.awaitDone(Duration.ofSeconds(slowSeconds + 40L));
                long sent = load.report().sent();
                long hung = load.records().stream().filter(r -> !r.answered()).count();
                out.append(String.format(Locale.ROOT, "1 req/s for %ds: sent %d, hung %d (%.2f%%)%n",
                        slowSeconds, sent, hung, 100.0 * hung / Math.max(1, sent)));
            }
        }
        out.append(String.format(Locale.ROOT, "load average after: %s%n", loadAverage()));
        System.out.print(out);
        Files.writeString(java.nio.file.Path.of("target/lost-wakeup-measurement.txt"), out);
    }

    private static void observe(SampleServer server, Map<Long, Long> provenAfterMs) {
        for (TaskSnapshot t : authWaits(server)) {
            if (t.warnings().contains("lost-wakeup") && !provenAfterMs.containsKey(t.id()) && t.waitingMs() != null) {
                provenAfterMs.put(t.id(), t.waitingMs());
            }
        }
    }

    private static List<TaskSnapshot> authWaits(SampleServer server) {
        return server.registry().query(TaskQuery.all(0, TaskQuery.MAX_LIMIT)).tasks().stream()
                .filter(t -> "auth".equals(t.waitingOn())).toList();
    }

    private static long countIn(Set<String> a, Set<String> b) {
        return a.stream().filter(b::contains).count();
    }

    private static String percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int i = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
        return String.valueOf(sorted.get(Math.max(0, i)));
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
