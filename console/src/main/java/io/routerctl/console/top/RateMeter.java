package io.routerctl.console.top;

import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskReport;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns successive updates' cumulative counters ({@link LoopSnapshot#registered()}) into rates: new
 * tasks per second, overall and per loop. Time is the target's own clock
 * ({@link TaskReport#takenAtEpochMs()}), so a slow reader or a paused screen does not distort it.
 *
 * <p>A counter that goes down, or a different pid, means a different process: the meter starts over
 * rather than show a negative or a mixed rate.
 *
 * <h2>Thread safety</h2>
 * Not thread-safe: confined to the thread that applies updates.
 */
final class RateMeter {

    private long lastPid = -1;
    private long lastTakenAtMs;
    private final Map<String, Long> lastRegistered = new HashMap<>();
    private final Map<String, Long> lastRequests = new HashMap<>();

    /** The update with its rates against the previous one. */
    LiveData observe(TargetInfo target, TaskReport report, List<LoopSnapshot> loops) {
        long now = report.takenAtEpochMs();
        boolean comparable = target.pid() == lastPid && now > lastTakenAtMs;
        double seconds = (now - lastTakenAtMs) / 1000.0;
        Map<String, Double> loopRates = new HashMap<>();
        long totalDelta = 0;
        boolean totalKnown = comparable;
        long requestDelta = 0;
        for (LoopSnapshot loop : loops) {
            Long before = lastRegistered.get(loop.name());
            Long requestsBefore = lastRequests.get(loop.name());
            if (comparable && before != null && loop.registered() >= before
                    && requestsBefore != null && loop.requests() >= requestsBefore) {
                long delta = loop.registered() - before;
                loopRates.put(loop.name(), delta / seconds);
                totalDelta += delta;
                requestDelta += loop.requests() - requestsBefore;
            } else {
                totalKnown = false;
            }
        }
        if (target.pid() != lastPid) {
            lastRegistered.clear();
            lastRequests.clear();
        }
        for (LoopSnapshot loop : loops) {
            lastRegistered.put(loop.name(), loop.registered());
            lastRequests.put(loop.name(), loop.requests());
        }
        lastPid = target.pid();
        lastTakenAtMs = now;
        double total = totalKnown && !loops.isEmpty() ? totalDelta / seconds : Double.NaN;
        double requests = totalKnown && !loops.isEmpty() ? requestDelta / seconds : Double.NaN;
        return new LiveData(target, report, loops, total, loopRates, requests);
    }

    /** Forget the previous update (a reconnect may reach a different process). */
    void reset() {
        lastPid = -1;
        lastRegistered.clear();
        lastRequests.clear();
    }
}
