package io.routerctl.console.render;

import io.routerctl.console.render.TextTable.Align;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The table of stuck (or any) tasks as {@code dump-stuck} prints it: ID, KIND, WHAT (the task's
 * label, e.g. {@code GET /tickets}, only when some task has one), REMOTE, LOCAL, LOOP, AGE, STATE,
 * LAST STEP, WAITING ON (with for how long, e.g. {@code auth 9.8s}), plus a RULE
 * column ({@code adaptive} or {@code older-than}) only when some task was made stuck by the adaptive
 * rule, and a WARN column ({@code lost-wakeup}, {@code blocked-loop}, {@code slow}) only when some
 * task carries a warning.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. Never returns {@code null}.
 */
public final class StuckTaskTable {

    private StuckTaskTable() {
    }

    /** The tasks as a table, in the order given. */
    public static TextTable of(List<TaskSnapshot> tasks) {
        boolean anyWarning = tasks.stream().anyMatch(t -> !t.warnings().isEmpty());
        // The rule is news only when some task was judged by the point's history, not the threshold.
        boolean anyAdaptive = tasks.stream().anyMatch(t -> t.stuckRule() != null && !"older-than".equals(t.stuckRule()));
        boolean anyLabel = tasks.stream().anyMatch(t -> t.label() != null);
        TextTable table = new TextTable()
                .column("ID", Align.RIGHT)
                .column("KIND", Align.LEFT);
        if (anyLabel) {
            table.column("WHAT", Align.LEFT);
        }
        table.column("REMOTE", Align.LEFT)
                .column("LOCAL", Align.LEFT)
                .column("LOOP", Align.LEFT)
                .column("AGE", Align.RIGHT)
                .column("STATE", Align.LEFT)
                .column("LAST STEP", Align.LEFT)
                .column("WAITING ON", Align.LEFT);
        if (anyAdaptive) {
            table.column("RULE", Align.LEFT);
        }
        if (anyWarning) {
            table.column("WARN", Align.LEFT);
        }
        for (TaskSnapshot t : tasks) {
            List<String> cells = new ArrayList<>(12);
            cells.add(Long.toString(t.id()));
            cells.add(t.kind().wireName());
            if (anyLabel) {
                cells.add(t.label());
            }
            cells.add(t.remote());
            cells.add(t.local());
            cells.add(t.loop());
            cells.add((t.ageAtLeast() ? "\u2265" : "") + Durations.format(t.ageMs()));
            cells.add(t.state().wireName());
            cells.add(t.lastStep());
            cells.add(waitingOn(t));
            if (anyAdaptive) {
                cells.add(t.stuckRule());
            }
            if (anyWarning) {
                cells.add(String.join(",", t.warnings()));
            }
            table.row(cells.toArray(new String[0]));
        }
        return table;
    }

    /** {@code auth 9.8s}: what the task waits on and for how long; {@code null} if not waiting. */
    public static String waitingOn(TaskSnapshot t) {
        if (t.waitingOn() == null) {
            return null;
        }
        return t.waitingMs() == null ? t.waitingOn() : t.waitingOn() + " " + Durations.format(t.waitingMs());
    }
}
