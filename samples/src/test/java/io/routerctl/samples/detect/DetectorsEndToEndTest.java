package io.routerctl.samples.detect;

import io.routerctl.probes.snapshot.TaskKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.Routerctl;
import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.testing.AllowPendingTasks;
import io.routerctl.samples.Http;
import io.routerctl.samples.SampleServer;
import io.routerctl.samples.auth.LatencyRange;
import io.routerctl.samples.load.LoadGenerator;
import io.routerctl.samples.load.RequestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The detectors on the sample router, through the attach socket and the console's own commands:
 * in buggy mode every request left hanging (matched by client address) is a proven lost wake-up
 * after {@code dump-stuck --gc}; in fixed mode nothing is; with {@code --misbehave block-loop} the
 * blocked loop's requests carry {@code blocked-loop} and the loop's stack names the renderer.
 */
class DetectorsEndToEndTest {

    private static final long STUCK_MS = 1_000;

    @TempDir
    static Path attachDir;
    private static String previousAttachDir;

    @BeforeAll
    static void ownAttachDir() {
        previousAttachDir = System.getProperty("routerctl.attach.dir");
        System.setProperty("routerctl.attach.dir", attachDir.toString());
    }

    @AfterAll
    static void restoreAttachDir() {
        if (previousAttachDir == null) {
            System.clearProperty("routerctl.attach.dir");
        } else {
            System.setProperty("routerctl.attach.dir", previousAttachDir);
        }
    }

    record Run(int code, String out, String err) {
    }

    private static Run routerctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Routerctl.run(ConsoleContext.withAttachDir(attachDir), new PrintWriter(out, true),
                new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    @AllowPendingTasks("the buggy adapter loses wake-ups on purpose; the hung clients are closed at the end")
    void everyRequestTheBuggyAdapterLeftHangingIsProvenALostWakeUpAfterGc() throws Exception {
        try (SampleServer server = SampleServer.start(new SampleServer.Options().port(0).loops(2).adapter("buggy"))) {
            String socket = server.runtime().attachSocket().orElseThrow().toString();
            List<LoadGenerator> loads = new ArrayList<>();
            List<RequestRecord> hung = List.of();
            try {
                for (int round = 0; round < 5 && hung.isEmpty(); round++) {
                    LoadGenerator load = drive(server, 1_500);
                    loads.add(load); // kept open: closing it would end the hung requests
                    hung = unanswered(load);
                }
                assertThat(hung).as("requests left hanging by the buggy adapter").isNotEmpty();
                Set<String> hungClients = hung.stream().map(RequestRecord::localAddress).collect(Collectors.toSet());

                Run json = routerctl("dump-stuck", "--socket", socket, "--gc", "--json",
                        "--older-than", STUCK_MS + "ms", "--limit", "10000");
                assertThat(json.code()).as(json.err()).isZero();
                JsonNode doc = new ObjectMapper().readTree(json.out());
                assertThat(doc.path("gc").path("lost_wakeups_total").asLong()).isGreaterThanOrEqualTo(hung.size());
                Set<String> proven = new HashSet<>();
                for (JsonNode t : doc.path("tasks")) {
                    assertThat(t.path("waiting_on").asText()).isEqualTo("auth");
                    assertThat(t.path("waiting_at").asText()).startsWith("RouterPoints.java:");
                    for (JsonNode w : t.path("warnings")) {
                        if (w.asText().equals("lost-wakeup")) {
                            proven.add(t.path("remote").asText());
                        }
                    }
                }
                assertThat(proven).as("stuck requests proven lost wake-ups, by client address").isEqualTo(hungClients);

                Run text = routerctl("dump-stuck", "--socket", socket, "--older-than", STUCK_MS + "ms");
                assertThat(text.code()).isZero();
                assertThat(text.out())
                        .contains(hung.size() + " request" + (hung.size() == 1 ? "" : "s") + " waiting on auth (RouterPoints.java:")
                        .contains("after auth-requested; " + hung.size() + " with lost-wakeup: the completer was dropped without completing")
                        .containsPattern("p99 of auth is [0-9.]+ms, oldest wait ")
                        .contains("lost-wakeup");
            } finally {
                loads.forEach(LoadGenerator::close);
            }
        }
    }

    @Test
    void theFixedAdapterLeavesNothingToProveUnderTheSameLoad() throws Exception {
        try (SampleServer server = SampleServer.start(new SampleServer.Options().port(0).loops(2).adapter("fixed"))) {
            String socket = server.runtime().attachSocket().orElseThrow().toString();
            try (LoadGenerator load = drive(server, 1_500)) {
                assertThat(unanswered(load)).isEmpty();
                Run json = routerctl("dump-stuck", "--socket", socket, "--gc", "--json", "--older-than", "0ms");
                assertThat(json.code()).isZero();
                JsonNode doc = new ObjectMapper().readTree(json.out());
                assertThat(doc.path("gc").path("lost_wakeups_total").asLong()).isZero();
                for (JsonNode t : doc.path("tasks")) {
                    assertThat(t.path("warnings").toString()).doesNotContain("lost-wakeup");
                }
            }
        }
    }

    @Test
    void aBlockedLoopMarksItsRequestsAndNamesTheRenderer() throws Exception {
        String previous = System.getProperty("routerctl.loop.blockedThresholdMs");
        System.setProperty("routerctl.loop.blockedThresholdMs", "300");
        SampleServer started;
        try {
            started = SampleServer.start(new SampleServer.Options().port(0).loops(1).adapter("fixed")
                    .authLatency(LatencyRange.parse("1s")).misbehave("block-loop", Duration.ofSeconds(4)));
        } finally {
            if (previous == null) {
                System.clearProperty("routerctl.loop.blockedThresholdMs");
            } else {
                System.setProperty("routerctl.loop.blockedThresholdMs", previous);
            }
        }
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try (SampleServer server = started;
             Http waiting = new Http(server.port());
             Http report = new Http(server.port());
             AttachClient attach = AttachClient.connect(server.runtime().attachSocket().orElseThrow(), Duration.ofSeconds(20))) {
            Future<Http.Response> item = clients.submit(() -> waiting.get("/api/items/1", "Authorization: Bearer tok-1"));
            await("a request waiting on auth", () -> server.registry().query(TaskQuery.all(0, 100)).tasks().stream()
                    .anyMatch(t -> "auth".equals(t.waitingOn())));
            Future<Http.Response> rendered = clients.submit(() -> report.get("/api/report"));
            await("loop-0 blocked", () -> {
                try {
                    LoopSnapshot l = attach.loops(0).get(0);
                    return l.health() != null && l.health().blocked();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });

            LoopSnapshot loop = attach.loops(0).get(0);
            assertThat(loop.health().blockedStack()).anySatisfy(f -> assertThat(f).contains("ReportRenderer.render("));
            List<TaskSnapshot> requests = attach.query(TaskQuery.all(0, 100)).tasks().stream()
                    .filter(t -> t.kind() == TaskKind.REQUEST).toList();
            assertThat(requests).extracting(TaskSnapshot::remote)
                    .containsExactlyInAnyOrder(waiting.localAddress(), report.localAddress());
            assertThat(requests).allSatisfy(t -> assertThat(t.warnings()).contains("blocked-loop"));

            Run text = routerctl("dump-stuck", "--socket", server.runtime().attachSocket().orElseThrow().toString(),
                    "--older-than", "200ms");
            assertThat(text.out()).containsPattern(
                    "2 requests on loop-0, which is blocked for [0-9.]+m?s in ReportRenderer\\.render\\(ReportRenderer\\.java:\\d+\\)");

            assertThat(rendered.get(30, TimeUnit.SECONDS).body()).startsWith("report rendered");
            assertThat(item.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        } finally {
            clients.shutdownNow();
        }
    }

    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(5_000_000); // poll interval
        }
    }

    private static List<RequestRecord> unanswered(LoadGenerator load) {
        return load.records().stream().filter(r -> !r.answered()).toList();
    }

    /**
     * Sends {@code n} requests at 500 req/s over one token; returns the (still open) generator once
     * every request was answered or what is left has been stuck for {@value #STUCK_MS} ms.
     */
    private static LoadGenerator drive(SampleServer server, int n) {
        LoadGenerator load = LoadGenerator.to("127.0.0.1", server.port()).rate(500).tokens(1).maxRequests(n)
                .timeout(Duration.ofMinutes(5)).record(true).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var report = load.report();
            if (report.sent() == n) {
                long stuck = server.registry().query(TaskQuery.stuck(STUCK_MS, 1)).stuck();
                if (report.inFlight() == 0 || report.inFlight() == stuck) {
                    break;
                }
            }
            LockSupport.parkNanos(10_000_000); // poll interval
        }
        return load;
    }
}
