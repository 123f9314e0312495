package io.routerctl.playbooks;

/**
 * The target cannot be reached (gone, refused, not answering): the playbook stops and exits 3.
 * Thrown by {@link CommandExecutor} implementations.
 */
public final class TargetUnreachableException extends Exception {
    public TargetUnreachableException(String message) {
        super(message);
    }

    public TargetUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
