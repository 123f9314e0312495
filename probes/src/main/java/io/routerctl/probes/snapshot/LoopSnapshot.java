package io.routerctl.probes.snapshot;

/**
 * One event loop (registry shard) as the registry sees it.
 *
 * @param name       the loop's name, e.g. {@code loop-0}
 * @param tasks      live tasks it owns, idle connections included
 * @param inFlight   of those, the ones not idle
 * @param stuck      of those, the ones without progress for the query's threshold
 * @param registered tasks registered since start
 * @param refused    registrations refused since start (shard full)
 * @param health     what the loop's watchdog knows (lag, busy, blocked), or {@code null} if the loop
 *                   is not watched
 */
public record LoopSnapshot(String name, int tasks, int inFlight, int stuck, long registered, long refused,
                           LoopHealth health) {

    /** A loop without watchdog facts. */
    public LoopSnapshot(String name, int tasks, int inFlight, int stuck, long registered, long refused) {
        this(name, tasks, inFlight, stuck, registered, refused, null);
    }
}
