package io.routerctl.probes.snapshot;

/**
 * A probe point the target declared, as the {@code points} request lists it.
 *
 * @param name     the point's name, e.g. {@code route-resolved}
 * @param kind     {@code step} (tasks pass it) or {@code await} (tasks wait on it)
 * @param location where in the code it was declared, e.g. {@code LegacyAuthAdapter.java:41}
 */
public record PointSnapshot(String name, String kind, String location) {
}
