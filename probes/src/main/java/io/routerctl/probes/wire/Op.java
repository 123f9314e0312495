package io.routerctl.probes.wire;

import java.util.Locale;

/** The operations a client can ask of a target ({@code docs/protocol.md}, "Operations"). */
public enum Op {
    HELLO, QUERY, LOOPS, TASK, POINTS, SUBSCRIBE, RESUBSCRIBE, UNSUBSCRIBE,
    /** Intrusive: a full GC in the target, then the lost wake-ups it proved. Only on explicit request. */
    GC,
    /**
     * Takes routerctl out of the target: served only where the agent brought it in (elsewhere
     * {@code unsupported}), refused as {@code expired} after the request's {@code deadline_ms}. The
     * server answers, then closes.
     */
    DETACH;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The op as written on the wire, e.g. {@code query}. */
    public String wireName() {
        return wireName;
    }

    /** The op with this wire name, or {@code null}. */
    public static Op ofWireName(String wireName) {
        for (Op op : values()) {
            if (op.wireName.equals(wireName)) {
                return op;
            }
        }
        return null;
    }
}
