package io.routerctl.probes.snapshot;

import java.util.List;

/**
 * What a loop watchdog knows of one event loop's health.
 *
 * @param lagMs         how late the last heartbeat ran, in milliseconds
 * @param busyPercent   share of the last interval the loop thread spent on the CPU, 0..100, or -1
 *                      if unknown
 * @param blocked       whether a heartbeat has been waiting longer than the blocked threshold
 * @param blockedForMs  how long the current blocked episode has lasted, 0 if not blocked
 * @param blockedStack  the loop thread's stack captured once in the current (or last) episode,
 *                      innermost frame first, e.g. {@code io.routerctl.samples.X.handle(X.java:42)};
 *                      empty if none was captured
 * @param episodes      blocked episodes since start
 */
public record LoopHealth(double lagMs, double busyPercent, boolean blocked, long blockedForMs,
                         List<String> blockedStack, long episodes) {

    public LoopHealth {
        blockedStack = blockedStack == null ? List.of() : List.copyOf(blockedStack);
    }
}
