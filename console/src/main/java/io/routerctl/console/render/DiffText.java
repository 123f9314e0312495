package io.routerctl.console.render;

import io.routerctl.probes.query.TaskDiff;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.List;

/**
 * The text of {@code routerctl diff A B}: the counts, then each class (persistent, new, resolved)
 * as a table of tasks with dump-stuck's group sentences.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. Never returns {@code null}.
 */
public final class DiffText {

    /** Tasks listed per class; JSON lists all. */
    public static final int LISTED = 50;

    private DiffText() {
    }

    /** The whole view, every line ending in a newline. */
    public static String render(String a, String b, long elapsedMs, long thresholdMs, TaskDiff diff) {
        StringBuilder out = new StringBuilder();
        out.append("A ").append(a).append(", B ").append(b).append(" (").append(Durations.format(elapsedMs))
                .append(" later), threshold ").append(Durations.format(thresholdMs)).append('\n');
        out.append("persistent ").append(diff.persistent().size()).append(" (stuck in both: the real hangs), new ")
                .append(diff.fresh().size()).append(" (stuck only in B), resolved ").append(diff.resolved().size())
                .append(" (slow, not stuck: ").append(diff.resolvedGone()).append(" gone, ")
                .append(diff.resolvedProgressed()).append(" progressed)\n");
        section(out, "Persistent (stuck in A and B, no progress in between)", diff.persistent(), diff.groups());
        section(out, "New (stuck only in B)", diff.fresh(), diff.newGroups());
        section(out, "Resolved (stuck in A; gone or progressed in B), as A saw them", diff.resolved(), List.of());
        return out.toString();
    }

    private static void section(StringBuilder out, String heading, List<TaskSnapshot> tasks, List<StuckGroup> groups) {
        if (tasks.isEmpty()) {
            return;
        }
        out.append('\n').append(heading).append(":\n");
        List<TaskSnapshot> listed = tasks.size() > LISTED ? tasks.subList(0, LISTED) : tasks;
        out.append(StuckTaskTable.of(listed).render());
        if (tasks.size() > LISTED) {
            out.append("... ").append(tasks.size() - LISTED).append(" more (--json lists all)\n");
        }
        for (StuckGroup g : groups) {
            out.append(StuckText.sentence(g)).append('\n');
        }
    }
}
