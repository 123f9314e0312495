package io.routerctl.samples.load;

/**
 * Counters of a {@link LoadGenerator} at one moment.
 *
 * @param sent        requests sent
 * @param ok          answered with a 2xx status
 * @param otherStatus answered with another status
 * @param timedOut    not answered within the timeout (their connections were closed)
 * @param failed      connection failed or closed by the server before an answer
 * @param inFlight    sent, not yet ended
 * @param connections connections open now
 * @param opened      connections opened since the start
 * @param skipped     ticks that sent nothing: too far behind schedule, or the connection limit reached
 */
public record LoadReport(long sent, long ok, long otherStatus, long timedOut, long failed, long inFlight,
                         int connections, long opened, long skipped) {

    /** One line for humans: {@code sent 3000 ok 2950 timed-out 50 ...}. */
    public String line() {
        return "sent " + sent + " ok " + ok + (otherStatus > 0 ? " other " + otherStatus : "")
                + " timed-out " + timedOut + (failed > 0 ? " failed " + failed : "")
                + " in flight " + inFlight + " conns " + connections + (skipped > 0 ? " skipped " + skipped : "");
    }
}
