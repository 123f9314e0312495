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
 * @param requests   tasks of kind request registered since start (a subset of {@code registered}),
 *                   so that readers can show requests per second
 */
public record LoopSnapshot(String name, int tasks, int inFlight, int stuck, long registered, long refused,
                           LoopHealth health, long requests) {

    /** A loop without watchdog facts and without a request count. */
    public LoopSnapshot(String name, int tasks, int inFlight, int stuck, long registered, long refused) {
        this(name, tasks, inFlight, stuck, registered, refused, null, 0);
    }

    /** A loop without a request count. */
    public LoopSnapshot(String name, int tasks, int inFlight, int stuck, long registered, long refused,
                        LoopHealth health) {
        this(name, tasks, inFlight, stuck, registered, refused, health, 0);
    }
}
