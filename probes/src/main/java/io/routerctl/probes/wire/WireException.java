package io.routerctl.probes.wire;

/**
 * A message broke the protocol; {@link #code()} is the error code to reply with and the message
 * says what was wrong in one line, e.g. {@code limit must be between 1 and 10000, got 0}.
 */
public class WireException extends Exception {

    private final ErrorCode code;
    /** The request id, if the broken message got far enough to have one; else {@code null}. */
    private final Long requestId;

    public WireException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public WireException(ErrorCode code, String message, Long requestId) {
        super(message);
        this.code = code;
        this.requestId = requestId;
    }

    public ErrorCode code() {
        return code;
    }

    /** The id of the request the error answers, or {@code null} if it could not be read. */
    public Long requestId() {
        return requestId;
    }

    /** The same error, answering {@code id}. */
    public WireException withRequestId(Long id) {
        return new WireException(code, getMessage(), id);
    }
}
