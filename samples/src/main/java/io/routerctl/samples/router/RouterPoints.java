package io.routerctl.samples.router;

import io.routerctl.probes.ProbePoint;

/**
 * The sample router's own probe points, between the runtime's {@code request-read} and its
 * upstream steps: {@code route-resolved}, {@code auth-requested}, waiting on {@code auth}, then
 * {@code auth-completed}.
 *
 * <h2>Thread safety</h2>
 * Immutable constants.
 */
public final class RouterPoints {
    public static final ProbePoint ROUTE_RESOLVED = ProbePoint.step("route-resolved");
    public static final ProbePoint AUTH_REQUESTED = ProbePoint.step("auth-requested");
    public static final ProbePoint AUTH_COMPLETED = ProbePoint.step("auth-completed");
    public static final ProbePoint AUTH = ProbePoint.await("auth");

    private RouterPoints() {
    }
}
