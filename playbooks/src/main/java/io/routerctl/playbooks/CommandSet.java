package io.routerctl.playbooks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The routerctl commands a playbook may use, by name, each with a one-line summary. Every command
 * line of a playbook must name one of them, or the playbook does not parse. Only commands that
 * read the target belong here: playbooks never change the target.
 *
 * <h2>The standard set</h2>
 * {@link #standard()} is the read command set of routerctl: {@code dump-stuck}, {@code loops},
 * {@code task}, {@code snapshot}, {@code diff}, {@code list}, {@code help}. The stock playbooks use
 * only these. Of them, the outputs of {@code dump-stuck}, {@code diff} and {@code loops} are what
 * {@code expect} reads (see {@link io.routerctl.playbooks.query.DocumentKind}).
 *
 * <h2>Thread safety</h2>
 * Immutable.
 */
public final class CommandSet {

    private static final CommandSet STANDARD = new CommandSet(Map.of(
            "dump-stuck", "in-flight work without progress for a threshold, grouped by step and waiting-on",
            "loops", "per event loop: tasks, in flight, stuck",
            "task", "one task with its parent, siblings and children",
            "snapshot", "the target's in-flight tasks, saved to a file (-o FILE) for later study",
            "diff", "tasks persistent, new and resolved between two snapshots (files or live)",
            "list", "the attachable processes",
            "help", "usage of a command"));

    private final Map<String, String> commands;

    /** A set of {@code name -> one-line summary}. */
    public CommandSet(Map<String, String> commands) {
        this.commands = Collections.unmodifiableMap(new LinkedHashMap<>(commands));
    }

    /** routerctl's read commands, see the class comment. Never {@code null}. */
    public static CommandSet standard() {
        return STANDARD;
    }

    /** Whether a playbook may run {@code name}. */
    public boolean contains(String name) {
        return commands.containsKey(name);
    }

    /** The command names, in no particular order. */
    public Set<String> names() {
        return commands.keySet();
    }

    /** The summary of {@code name}, or {@code null} if it is not in the set. */
    public String summary(String name) {
        return commands.get(name);
    }
}
