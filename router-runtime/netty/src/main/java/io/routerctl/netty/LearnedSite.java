package io.routerctl.netty;

import io.routerctl.probes.ProbePoint;

/**
 * Where in the application's code the futures of one key are created, learned once instead of
 * walking the stack for each: the key is a handler (or a framework's method) and the future's
 * ordinal among those created while it ran. The first {@value #SIGHTINGS} futures of the key walk
 * the stack (their first application frame, see {@link PipelineObserver#site}); if all agree, the
 * site is learned and every later future of the key gets it for a field read; one in
 * {@value #RECHECK} walks again to check. A key whose futures come from different places (a
 * handler with several branches) falls back to its handler's name for good rather than show a wrong
 * line.
 *
 * <h2>Allocation and threads</h2>
 * One per (key, ordinal), made with its key. Read and written by every loop that meets the key,
 * without a lock: a race between loops costs at most a few extra stack walks or a fallback, never a
 * site that was not seen for this key. Past learning, nothing is allocated.
 */
final class LearnedSite {

    static final int SIGHTINGS = 8;
    static final int RECHECK = 1024;
    private static final int MIXED = -1;

    private final ProbePoint fallback;
    private volatile ProbePoint site;
    /** Agreeing sightings so far, or {@link #MIXED}. */
    private volatile int seen;
    /** Futures since learning; racy on purpose (it only paces the checks). */
    private int since;

    LearnedSite(ProbePoint fallback) {
        this.fallback = fallback;
    }

    /** The point a future of this key waits at: its code site once learned (or while learning), else the fallback. */
    ProbePoint point(Object future) {
        int s = seen;
        if (s == MIXED) {
            return fallback;
        }
        if (s >= SIGHTINGS) {
            ProbePoint learned = site;
            if ((++since & (RECHECK - 1)) != 0 || PipelineObserver.site(future) == learned) {
                return learned;
            }
            seen = MIXED;
            return fallback;
        }
        ProbePoint now = PipelineObserver.site(future);
        if (now == ConnectionTracker.FUTURE) {
            seen = MIXED; // no application frame: nothing to learn
            return fallback;
        }
        ProbePoint before = site;
        if (before == null) {
            site = now;
            seen = 1;
        } else if (before == now) {
            seen = s + 1;
        } else {
            seen = MIXED;
            return fallback;
        }
        return now;
    }

    /** Whether the site is learned (for tests). */
    boolean learned() {
        return seen >= SIGHTINGS;
    }
}
