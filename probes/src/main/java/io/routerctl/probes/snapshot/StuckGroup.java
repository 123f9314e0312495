package io.routerctl.probes.snapshot;

/**
 * Stuck tasks that share kind, last step and what they wait on: one line of a diagnosis.
 *
 * @param kind      task kind, e.g. {@code request}
 * @param lastStep  last step completed, or {@code null}
 * @param waitingOn probe point waited on, or {@code null}
 * @param waitingAt code location of that probe point, or {@code null}
 * @param count     how many stuck tasks share these
 * @param oldestMs  the longest time without progress among them
 */
public record StuckGroup(String kind, String lastStep, String waitingOn, String waitingAt, int count, long oldestMs) {
}
