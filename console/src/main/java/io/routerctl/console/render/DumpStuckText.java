package io.routerctl.console.render;

import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskReport;

/**
 * The whole text of {@code routerctl dump-stuck}: the table of stuck tasks, one sentence per
 * group, and the summary line; or the single "No stuck tasks" line. Playbook reports and the
 * shell print the same text.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. Never returns {@code null}.
 */
public final class DumpStuckText {

    private DumpStuckText() {
    }

    /** The report as text, every line ending in a newline. */
    public static String render(TaskReport report, long thresholdMs, int limit) {
        StringBuilder out = new StringBuilder();
        if (!report.tasks().isEmpty()) {
            out.append(StuckTaskTable.of(report.tasks()).render()).append('\n');
        }
        for (StuckGroup g : report.groups()) {
            out.append(StuckText.sentence(g)).append('\n');
        }
        if (!report.groups().isEmpty()) {
            out.append('\n');
        }
        return out.append(StuckText.summary(report, thresholdMs, limit)).append('\n').toString();
    }
}
