package io.routerctl.probes.attach;

/** The target could not be reached or spoke no protocol we know: {@code routerctl} exits 3. */
public class AttachException extends Exception {
    public AttachException(String message) {
        super(message);
    }

    public AttachException(String message, Throwable cause) {
        super(message, cause);
    }
}
