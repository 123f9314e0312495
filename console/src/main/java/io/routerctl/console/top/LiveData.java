package io.routerctl.console.top;

import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskReport;

import java.util.List;
import java.util.Map;

/**
 * One update from the target as the screen shows it: the wire's records plus the rates derived from
 * the update before it.
 *
 * <h2>Thread safety</h2>
 * Immutable.
 *
 * @param target         the target as the update describes it (uptime)
 * @param report         the report for the subscription's query
 * @param loops          the target's event loops
 * @param tasksPerSecond tasks registered per second across all loops since the previous update, or
 *                       {@code NaN} for the first update of a target
 * @param loopRates      the same per loop name; a loop seen for the first time is absent
 * @param requestsPerSecond requests registered per second across all loops, or {@code NaN} as above
 */
record LiveData(TargetInfo target, TaskReport report, List<LoopSnapshot> loops, double tasksPerSecond,
                Map<String, Double> loopRates, double requestsPerSecond) {

    LiveData(TargetInfo target, TaskReport report, List<LoopSnapshot> loops, double tasksPerSecond,
             Map<String, Double> loopRates) {
        this(target, report, loops, tasksPerSecond, loopRates, Double.NaN);
    }

    LiveData {
        loops = loops == null ? List.of() : List.copyOf(loops);
        loopRates = loopRates == null ? Map.of() : Map.copyOf(loopRates);
    }

    /** The per-loop rate for {@code loop}, or {@code NaN} when not yet known. */
    double loopRate(String loop) {
        Double r = loopRates.get(loop);
        return r == null ? Double.NaN : r;
    }
}
