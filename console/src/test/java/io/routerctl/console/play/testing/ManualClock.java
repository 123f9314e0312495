package io.routerctl.console.play.testing;

import io.routerctl.playbooks.PlaybookClock;
import io.routerctl.probes.Ticker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A clock that only moves when told to: {@link #sleep} advances it instead of waiting, and runs
 * the actions scheduled for the time it passes (e.g. "at +3s, the auth callback finally fires").
 * It is also the {@link Ticker} of the registry the test executor reads, so task ages move with
 * the playbook's time.
 */
public final class ManualClock implements PlaybookClock, Ticker {

    private record Scheduled(long atNanos, long seq, Runnable action) {
    }

    private final Instant origin;
    private volatile long nanos = 1_000_000_000L;
    private long seq;
    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>(
            (a, b) -> a.atNanos != b.atNanos ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.seq, b.seq));
    private final List<Duration> sleeps = new ArrayList<>();
    private final long originNanos = nanos;

    public ManualClock(Instant origin) {
        this.origin = origin;
    }

    @Override
    public Instant now() {
        return origin.plusNanos(nanos - originNanos);
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        sleeps.add(duration);
        advance(duration);
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted while sleeping on the manual clock");
        }
    }

    /** Moves time forward, running what was scheduled up to the new time, in order. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            return;
        }
        long target = nanos + d.toNanos();
        while (!scheduled.isEmpty() && scheduled.peek().atNanos <= target) {
            Scheduled s = scheduled.poll();
            nanos = Math.max(nanos, s.atNanos);
            s.action.run();
        }
        nanos = target;
    }

    /** Runs {@code action} when time reaches now + {@code after}. */
    public void schedule(Duration after, Runnable action) {
        scheduled.add(new Scheduled(nanos + after.toNanos(), seq++, action));
    }

    /** Every sleep asked of the clock, in order. */
    public List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    /** Time elapsed since construction. */
    public Duration elapsed() {
        return Duration.ofNanos(nanos - originNanos);
    }
}
