package io.routerctl.probes.snapshot;

import java.util.Locale;

/**
 * Where a task stands. Only {@link #RUNNING} and {@link #WAITING} tasks are in flight, and only
 * in-flight tasks can be stuck. The wire name, also its {@link #toString()}, is the lower-case
 * constant name.
 */
public enum TaskState {
    /** Making progress on its own: between steps. */
    RUNNING,
    /** Waiting on a probe point (a future, a peer); see {@code waiting_on}. */
    WAITING,
    /** Idle by design, e.g. a keep-alive connection between requests. Never stuck. */
    IDLE,
    /** Finished normally. Finished tasks leave the registry. */
    DONE,
    /** Finished with an error. */
    FAILED,
    /** Given up: its client went away or it was cancelled before finishing. */
    ABANDONED;

    private static final TaskState[] VALUES = values();

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name used on the wire and in the console, e.g. {@code waiting}. */
    public String wireName() {
        return wireName;
    }

    /** The wire name: JSON writers (probes' own and the console's) write enums by it. */
    @Override
    public String toString() {
        return wireName;
    }

    /** True for the states a task leaves the registry in. */
    public boolean isTerminal() {
        return this == DONE || this == FAILED || this == ABANDONED;
    }

    /** True for running and waiting: the states that can be stuck. */
    public boolean isInFlight() {
        return this == RUNNING || this == WAITING;
    }

    /** The state with this wire name, or {@code null}. */
    public static TaskState ofWireName(String wireName) {
        for (TaskState s : VALUES) {
            if (s.wireName.equals(wireName)) {
                return s;
            }
        }
        return null;
    }

    /** The state with this ordinal (the registry stores ordinals). */
    public static TaskState ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
