package io.routerctl.samples.load;

/**
 * What happened to one request the {@link LoadGenerator} sent.
 *
 * <h2>Thread safety</h2>
 * Written by the load generator's event loop only; read from any thread (volatile fields), so a
 * reader may see a request still {@link Outcome#PENDING} that has just been answered.
 */
public final class RequestRecord {

    /** How a request ended. */
    public enum Outcome { PENDING, ANSWERED, TIMED_OUT, FAILED }

    private final long sequence;
    private final String path;
    private final long sentAtNanos;
    private volatile String localAddress;
    private volatile Outcome outcome = Outcome.PENDING;
    private volatile int status;
    private volatile long endedAtNanos;

    RequestRecord(long sequence, String path, long sentAtNanos) {
        this.sequence = sequence;
        this.path = path;
        this.sentAtNanos = sentAtNanos;
    }

    /** 0-based order of sending. */
    public long sequence() {
        return sequence;
    }

    /** The request path, e.g. {@code /api/items/17}. */
    public String path() {
        return path;
    }

    /** The client side of the connection as {@code ss -tn} shows it, e.g. {@code 127.0.0.1:53422}; null if it never connected. */
    public String localAddress() {
        return localAddress;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** True if a response came back (any status). */
    public boolean answered() {
        return outcome == Outcome.ANSWERED;
    }

    /** The response status, 0 if none. */
    public int status() {
        return status;
    }

    /** When it was sent ({@link System#nanoTime()}). */
    public long sentAtNanos() {
        return sentAtNanos;
    }

    /** When it ended ({@link System#nanoTime()}), 0 while pending. */
    public long endedAtNanos() {
        return endedAtNanos;
    }

    void connectedFrom(String local) {
        this.localAddress = local;
    }

    void end(Outcome outcome, int status) {
        this.status = status;
        this.endedAtNanos = System.nanoTime();
        this.outcome = outcome;
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + path + " from " + localAddress + ": " + outcome
                + (status != 0 ? " " + status : "");
    }
}
