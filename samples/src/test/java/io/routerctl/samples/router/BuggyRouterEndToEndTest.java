package io.routerctl.samples.router;

import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.samples.SampleServer;
import io.routerctl.samples.load.LoadGenerator;
import io.routerctl.samples.load.RequestRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The story end to end, in process: under concurrent load the buggy adapter hangs some requests,
 * and the requests the client never got an answer for are exactly those the registry lists as
 * stuck waiting on auth, matched by the client's socket address.
 */
class BuggyRouterEndToEndTest {

    private static final long STUCK_MS = 1_000;

    @Test
    void unansweredRequestsAreExactlyTheStuckOnesWaitingOnAuth() throws Exception {
        try (SampleServer server = SampleServer.start(new SampleServer.Options().port(0).loops(2).adapter("buggy")
                .attach(false))) {
            List<RequestRecord> unanswered = List.of();
            List<LoadGenerator> loads = new java.util.ArrayList<>();
            for (int round = 0; round < 5 && unanswered.isEmpty(); round++) {
                LoadGenerator load = drive(server, 1_500);
                loads.add(load); // kept open: closing it would close the hung connections
                unanswered = unanswered(load);
            }
            assertThat(unanswered).as("requests left hanging by the buggy adapter").isNotEmpty();

            List<TaskSnapshot> stuck = server.registry().query(
                    new TaskQuery(true, STUCK_MS, null, List.of("request"), TaskQuery.Sort.IDLE, false, 10_000)).tasks();
            assertThat(stuck).allSatisfy(t -> {
                assertThat(t.state()).isEqualTo("waiting");
                assertThat(t.waitingOn()).isEqualTo("auth");
                assertThat(t.lastStep()).isEqualTo("auth-requested");
            });
            Set<String> hungClients = unanswered.stream().map(RequestRecord::localAddress).collect(Collectors.toSet());
            Set<String> stuckRemotes = stuck.stream().map(TaskSnapshot::remote).collect(Collectors.toSet());
            assertThat(stuckRemotes).isEqualTo(hungClients);
            loads.forEach(LoadGenerator::close);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.registry().query(TaskQuery.stuck(0, 1)).stuck() > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000); // poll interval
            }
            assertThat(server.registry().query(TaskQuery.stuck(0, 1)).stuck())
                    .as("hung requests leave once their clients disconnect").isZero();
        }
    }

    @Test
    void fixedAdapterAnswersEverythingUnderTheSameLoad() throws Exception {
        try (SampleServer server = SampleServer.start(new SampleServer.Options().port(0).loops(2).adapter("fixed")
                .attach(false))) {
            try (LoadGenerator load = drive(server, 1_500)) {
                assertThat(unanswered(load)).isEmpty();
            }
            assertThat(server.registry().query(TaskQuery.stuck(0, 10)).stuck()).isZero();
        }
    }

    private static List<RequestRecord> unanswered(LoadGenerator load) {
        List<RequestRecord> unanswered = load.records().stream().filter(r -> !r.answered()).toList();
        assertThat(unanswered).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(RequestRecord.Outcome.PENDING));
        return unanswered;
    }

    /**
     * Sends {@code n} requests at 500 req/s over one token and returns the (still open) generator
     * once every request was answered or what is left has been stuck for a while.
     */
    private static LoadGenerator drive(SampleServer server, int n) throws Exception {
        LoadGenerator load = LoadGenerator.to("127.0.0.1", server.port()).rate(500).tokens(1).maxRequests(n)
                .timeout(Duration.ofMinutes(5)).record(true).start();
        {
            // Done when everything sent was answered, or what is left has been stuck for a while.
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
}
