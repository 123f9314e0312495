package io.routerctl.probes.attach;

/**
 * An attach directory that must not be trusted: another user's, a symbolic link, writable by
 * others. The message says which, and how to fix it, in one line; routerctl exits 3.
 *
 * <h2>Thread safety</h2>
 * Immutable.
 */
public final class UnsafeDirectoryException extends AttachException {
    public UnsafeDirectoryException(String message) {
        super(message, Reason.UNTRUSTED);
    }
}
