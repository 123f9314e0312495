package io.routerctl.samples.e2e;

import io.routerctl.samples.load.LoadGenerator;
import io.routerctl.samples.load.LoadReport;
import io.routerctl.samples.load.RequestRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Concurrent load on the sample router that leaves hung requests behind: rounds of a bounded burst
 * (300 req/s) until at least one request got no answer, each round waited on until every request
 * either got its answer or has been unanswered for longer than {@code settledAfter}, and no answer
 * came for {@link #QUIET} (on a starved machine a slow request can take seconds and still be
 * answered: it is not hung). The generators stay open, so the hung requests' connections stay open
 * and their tasks stay in flight.
 */
final class StuckLoad implements AutoCloseable {

    static final double RATE = 300;
    static final int REQUESTS_PER_ROUND = 900;
    static final int MAX_ROUNDS = 4;
    static final Duration QUIET = Duration.ofSeconds(2);

    private final List<LoadGenerator> generators = new ArrayList<>();

    /** Drives rounds until something hangs; returns the client addresses of the requests never answered. */
    Set<String> driveUntilSomethingHangs(String host, int port, Duration settledAfter) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            LoadGenerator load = LoadGenerator.to(host, port).rate(RATE).maxRequests(REQUESTS_PER_ROUND)
                    .timeout(Duration.ofMinutes(5)).record(true).start();
            generators.add(load);
            long[] ended = {-1};
            long[] endedChangedAt = {System.nanoTime()};
            Deadline.await(Duration.ofSeconds(60), "every request answered or hung for " + settledAfter
                            + ", and no answer for " + QUIET,
                    () -> {
                        LoadReport report = load.report();
                        long now = report.sent() - report.inFlight();
                        if (now != ended[0]) {
                            ended[0] = now;
                            endedChangedAt[0] = System.nanoTime();
                        }
                        return System.nanoTime() - endedChangedAt[0] >= QUIET.toNanos() && settled(load, settledAfter);
                    }, () -> load.report().toString());
            if (!unanswered().isEmpty()) {
                return unanswered();
            }
        }
        throw new AssertionError("nothing hung in " + MAX_ROUNDS + " rounds of " + REQUESTS_PER_ROUND
                + " requests at " + RATE + " req/s");
    }

    private static boolean settled(LoadGenerator load, Duration settledAfter) {
        LoadReport report = load.report();
        if (report.sent() < REQUESTS_PER_ROUND) {
            return false;
        }
        long now = System.nanoTime();
        List<RequestRecord> records = load.records();
        long pending = 0;
        for (RequestRecord r : records) {
            if (r.outcome() == RequestRecord.Outcome.PENDING) {
                pending++;
                if (r.localAddress() == null || now - r.sentAtNanos() < settledAfter.toNanos()) {
                    return false;
                }
            }
        }
        return records.size() == report.sent() && pending == report.inFlight();
    }

    /** Client addresses ("ip:port", as ss -tn shows them) of the requests still without an answer. */
    Set<String> unanswered() {
        Set<String> addresses = new TreeSet<>();
        for (LoadGenerator g : generators) {
            for (RequestRecord r : g.records()) {
                if (r.outcome() == RequestRecord.Outcome.PENDING) {
                    addresses.add(r.localAddress());
                } else if (!r.answered()) {
                    throw new AssertionError("a request failed instead of hanging: " + r);
                }
            }
        }
        return addresses;
    }

    /** Requests sent and answered over all rounds, e.g. "1800 sent, 1791 answered". */
    String totals() {
        long sent = 0;
        long answered = 0;
        for (LoadGenerator g : generators) {
            LoadReport r = g.report();
            sent += r.sent();
            answered += r.ok() + r.otherStatus();
        }
        return sent + " sent, " + answered + " answered";
    }

    /** Closes every connection: the hung requests' clients go away. */
    @Override
    public void close() {
        generators.forEach(LoadGenerator::close);
    }
}
