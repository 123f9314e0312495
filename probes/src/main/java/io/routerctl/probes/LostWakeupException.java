package io.routerctl.probes;

/**
 * Completes a tracked future whose completer was dropped without completing it, under
 * {@link LostWakeupPolicy#FAIL}. The message names the probe point and where it is declared.
 */
public final class LostWakeupException extends RuntimeException {

    private final transient ProbePoint point;

    public LostWakeupException(ProbePoint point) {
        super("lost wake-up at " + point.name() + " (" + point.location()
                + "): the completer was dropped without completing the future", null, false, false);
        this.point = point;
    }

    /** The probe point whose completer was lost; {@code null} only after deserialization. */
    public ProbePoint point() {
        return point;
    }
}
