package io.routerctl.probes.wire;

import java.util.Locale;

/** The error codes of protocol version 1 ({@code docs/protocol.md}, "Error codes"). */
public enum ErrorCode {
    /** Not JSON, not an object, a field missing or of the wrong type or range. */
    BAD_REQUEST,
    /** {@code v} is not 1. */
    UNSUPPORTED_VERSION,
    /** {@code op} names no operation. */
    UNKNOWN_OP,
    /** A request line over 1 MiB; the connection is then closed. */
    TOO_LARGE,
    /** The task or subscription does not exist. */
    NOT_FOUND,
    /** Too many clients. */
    BUSY,
    /** The peer is another user. */
    FORBIDDEN,
    /**
     * The request needed more than the time a target gives one (a filter that backtracks), or waited
     * too long for its turn behind other costly requests; the connection stays open.
     */
    OVER_BUDGET,
    /**
     * The connection was idle too long, a request line stayed incomplete too long, or an idle
     * connection was closed to make room for a new client; the connection is then closed.
     */
    TIMEOUT,
    /** The server failed; the service is unaffected. */
    INTERNAL,
    /** The target cannot do this: {@code detach} where routerctl is built into the service, not an agent. */
    UNSUPPORTED,
    /** The request arrived after its {@code deadline_ms} (the target was stopped or too slow): not applied. */
    EXPIRED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The code as written on the wire, e.g. {@code bad_request}. */
    public String wireName() {
        return wireName;
    }

    /** The code with this wire name, or {@code null} if this version does not know it. */
    public static ErrorCode ofWireName(String wireName) {
        for (ErrorCode c : values()) {
            if (c.wireName.equals(wireName)) {
                return c;
            }
        }
        return null;
    }
}
