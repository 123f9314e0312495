package io.routerctl.probes.snapshot;

/**
 * One step a task passed.
 *
 * @param name the probe point's name, e.g. {@code route-resolved}
 * @param atMs milliseconds from the task's start to the step (fractional: steps are often sub-ms)
 */
public record StepSnapshot(String name, double atMs) {
}
