package io.routerctl.probes.attach;

/**
 * What the {@code gc} op reports.
 *
 * @param lostWakeupsFound lost wake-ups proven by this collection
 * @param lostWakeupsTotal lost wake-ups proven since the target started
 * @param tookMs           how long the collection and the examination took
 * @param collected        whether the collectors' own counters show a collection during it;
 *                         {@code null} from a target that does not say (older versions)
 * @param ageMs            0 when the collection ran for this request; else how long ago the one
 *                         reported ended (the target runs at most one at a time, and at most one
 *                         per {@code min_interval}: a request meanwhile gets the last result)
 */
public record GcResult(long lostWakeupsFound, long lostWakeupsTotal, long tookMs, Boolean collected, long ageMs) {

    /** A result of a target that says nothing of collectors or age. */
    public GcResult(long lostWakeupsFound, long lostWakeupsTotal, long tookMs) {
        this(lostWakeupsFound, lostWakeupsTotal, tookMs, null, 0);
    }

    /** This result, reported {@code ageMs} after it was had. */
    GcResult aged(long ageMs) {
        return new GcResult(lostWakeupsFound, lostWakeupsTotal, tookMs, collected, ageMs);
    }
}
