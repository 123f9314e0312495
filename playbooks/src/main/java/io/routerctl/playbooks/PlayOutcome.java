package io.routerctl.playbooks;

/** How a playbook run ended, and the exit code {@code routerctl play} returns for it. */
public enum PlayOutcome {
    /** Every expectation held (also: a dry run, or a playbook without expectations that ran through). */
    HELD(0),
    /** At least one expectation or wait-until failed, or a command's own check found a problem (its exit 1). */
    FAILED(1),
    /** The playbook is wrong (parse error, unknown variable), needs a detector the target lacks, or broke off. */
    PLAYBOOK_ERROR(2),
    /** The target could not be reached. */
    UNREACHABLE(3);

    private final int exitCode;

    PlayOutcome(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The process exit code. */
    public int exitCode() {
        return exitCode;
    }
}
