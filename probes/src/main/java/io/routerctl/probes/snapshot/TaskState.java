package io.routerctl.probes;

/** Where a task stands. Only {@link #RUNNING} and {@link #WAITING} tasks can be stuck. */
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

    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    /** The name used on the wire and in the console, e.g. {@code waiting}. */
    public String wireName() {
        return wireName;
    }

    /** True for the states a task leaves the registry in. */
    public boolean isTerminal() {
        return this == DONE || this == FAILED || this == ABANDONED;
    }

    private static final TaskState[] VALUES = values();

    static TaskState ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
