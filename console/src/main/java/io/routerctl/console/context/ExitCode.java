package io.routerctl.console.context;

/**
 * The exit codes of every routerctl command, the same in the shell and in playbooks. Scripts rely
 * on them: never renumber.
 *
 * <h2>Thread safety</h2>
 * Constants only.
 */
public final class ExitCode {

    /** The command did what was asked and found nothing wrong. */
    public static final int OK = 0;
    /** The check found a problem, e.g. {@code dump-stuck --fail-if-stuck} and something is stuck. */
    public static final int PROBLEM_FOUND = 1;
    /** The command line was wrong (unknown option, bad value, ambiguous target). */
    public static final int USAGE = 2;
    /** No target could be attached to, or it stopped answering. */
    public static final int CANNOT_ATTACH = 3;
    /** routerctl itself failed: a bug. The message says what; ROUTERCTL_DEBUG=1 adds the stack trace. */
    public static final int INTERNAL_ERROR = 70;

    private ExitCode() {
    }
}
