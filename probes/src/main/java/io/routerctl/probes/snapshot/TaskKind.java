package io.routerctl.probes.snapshot;

import java.util.Locale;

/**
 * What a task stands for. The wire name, also its {@link #toString()}, is the lower-case constant
 * name.
 */
public enum TaskKind {
    /** A connection, from active until closed (an accepted one, or a client's). */
    CONNECTION,
    /** One request on a connection, from its head being read until its response is written. */
    REQUEST,
    /** A pending future a request awaits. */
    FUTURE,
    /**
     * A thread a request handed its work to (a virtual thread its handler started), from its start
     * until it ends; it outlives its request when the request ends first (an orphan).
     */
    THREAD;

    private static final TaskKind[] VALUES = values();

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name used on the wire and in the console, e.g. {@code request}. */
    public String wireName() {
        return wireName;
    }

    /** The wire name: JSON writers (probes' own and the console's) write enums by it. */
    @Override
    public String toString() {
        return wireName;
    }

    /** The kind with this wire name, or {@code null}. */
    public static TaskKind ofWireName(String wireName) {
        for (TaskKind k : VALUES) {
            if (k.wireName.equals(wireName)) {
                return k;
            }
        }
        return null;
    }

    /** The kind with this ordinal (the registry stores ordinals). */
    public static TaskKind ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
