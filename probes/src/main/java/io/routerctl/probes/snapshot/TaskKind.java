package io.routerctl.probes;

/** What a task stands for. The wire name is the lower-case constant name. */
public enum TaskKind {
    /** An accepted connection, from active until closed. */
    CONNECTION,
    /** One request on a connection, from its head being read until its response is written. */
    REQUEST,
    /** A pending future a request awaits. */
    FUTURE;

    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    /** The name used on the wire and in the console, e.g. {@code request}. */
    public String wireName() {
        return wireName;
    }

    private static final TaskKind[] VALUES = values();

    static TaskKind ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
