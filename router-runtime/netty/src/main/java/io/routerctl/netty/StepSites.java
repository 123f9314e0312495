package io.routerctl.netty;

import io.routerctl.probes.ProbePoint;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The learned sites of the futures made after a step an observer reported in a dispatch (a
 * framework entering the application's code: a controller, a route), keyed by that step: one
 * handler of a framework's (Reactor Netty's {@code ChannelOperationsHandler}, Vert.x's) runs every
 * route, so its own key would see each route's futures in turn and learn none; the route's step
 * tells them apart. A key's futures that still differ fall back to {@code future from STEP}.
 *
 * <h2>Allocation and threads</h2>
 * Made once per step point, on whichever thread meets it first, and kept (at most
 * {@value #MAX_STEPS}; past it none: the handler's key is used); a lookup allocates nothing. Any
 * thread.
 */
final class StepSites {

    static final int MAX_STEPS = 4096;
    private static final ConcurrentHashMap<ProbePoint, StepSites> BY_STEP = new ConcurrentHashMap<>();

    /** Where a future of this step waits until (or unless) its site is learned. */
    final ProbePoint future;
    private final LearnedSite[][] sites = new LearnedSite[Dispatch.SHAPES][Dispatch.MAX_FUTURES];

    private StepSites(ProbePoint step) {
        future = ProbePoint.observed(HandlerPoints.clip("future from " + step.name(), 120), ProbePoint.Kind.AWAIT,
                step.location());
        HandlerPoints.generic(future);
        for (LearnedSite[] kind : sites) {
            for (int i = 0; i < kind.length; i++) {
                kind[i] = new LearnedSite(future);
            }
        }
    }

    /** The sites of {@code step}'s futures, or null past {@value #MAX_STEPS} steps. */
    static StepSites of(ProbePoint step) {
        StepSites s = BY_STEP.get(step);
        if (s == null && BY_STEP.size() < MAX_STEPS) {
            s = BY_STEP.computeIfAbsent(step, StepSites::new);
        }
        return s;
    }

    /** Where the {@code ordinal}-th future made since the step, in a dispatch of kind {@code shape}, waits. */
    ProbePoint site(int shape, int ordinal, Object created) {
        return ordinal < Dispatch.MAX_FUTURES ? sites[shape][ordinal].point(created) : future;
    }
}
