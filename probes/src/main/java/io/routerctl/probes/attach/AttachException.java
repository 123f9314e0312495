package io.routerctl.probes.attach;

/**
 * The target could not be reached, was not believed, or spoke no protocol we know: {@code routerctl}
 * exits 3. {@link #reason()} says which kind of failure it was, for a front end that shows targets
 * (a busy target is not a dead one).
 *
 * <h2>Thread safety</h2>
 * Immutable.
 */
public class AttachException extends Exception {

    /** What kind of failure. */
    public enum Reason {
        /** Nothing listens, the connection broke, or the target said something we do not understand. */
        UNREACHABLE,
        /** Connected, but no hello came in time. */
        NO_HELLO,
        /** The target serves as many clients as it will; try again later. */
        BUSY,
        /** The target refused us (another user). */
        FORBIDDEN,
        /** We refused the target: its directory, socket, user or pid is not what it should be. */
        UNTRUSTED
    }

    private final Reason reason;

    public AttachException(String message) {
        this(message, Reason.UNREACHABLE);
    }

    public AttachException(String message, Throwable cause) {
        super(message, cause);
        this.reason = cause instanceof AttachException a ? a.reason : Reason.UNREACHABLE;
    }

    public AttachException(String message, Reason reason) {
        super(message);
        this.reason = reason;
    }

    /** What kind of failure this is; never {@code null}. */
    public Reason reason() {
        return reason;
    }
}
