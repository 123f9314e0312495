package io.routerctl.playbooks.query;

/**
 * The JSON documents queries read, each printed by one routerctl command with {@code --json}.
 * An expectation reads the most recent output of its document's command.
 */
public enum DocumentKind {
    /** {@code dump-stuck --json}: summary (in_flight, stuck, groups) and the stuck tasks. */
    DUMP_STUCK("dump-stuck"),
    /** {@code diff --json}: tasks persistent, new and resolved between two snapshots. */
    DIFF("diff"),
    /** {@code loops --json}: one entry per event loop. */
    LOOPS("loops");

    private final String command;

    DocumentKind(String command) {
        this.command = command;
    }

    /** The command whose {@code --json} output this is, e.g. {@code dump-stuck}. */
    public String command() {
        return command;
    }

    /** The kind printed by {@code command}, or {@code null} if that command's output is not queried. */
    public static DocumentKind ofCommand(String command) {
        for (DocumentKind k : values()) {
            if (k.command.equals(command)) {
                return k;
            }
        }
        return null;
    }
}
