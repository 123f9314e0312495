package io.routerctl.probes.attach;

/** The target answered a request with an error reply ({@code code}, {@code message}). */
public class TargetErrorException extends Exception {
    private final String code;

    public TargetErrorException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** The error code from the reply, e.g. {@code bad_request} or {@code not_found}. */
    public String code() {
        return code;
    }
}
