package io.routerctl.console.render;

import io.routerctl.console.render.TextTable.Align;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.List;

/**
 * The table of stuck (or any) tasks as {@code dump-stuck} prints it: ID, KIND, REMOTE, LOCAL,
 * LOOP, AGE, STATE, LAST STEP, WAITING ON (with for how long, e.g. {@code auth 9.8s}), plus a RULE
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
        TextTable table = new TextTable()
                .column("ID", Align.RIGHT)
                .column("KIND", Align.LEFT)
                .column("REMOTE", Align.LEFT)
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
            String[] cells = {
                    Long.toString(t.id()),
                    t.kind().wireName(),
                    t.remote(),
                    t.local(),
                    t.loop(),
                    Durations.format(t.ageMs()),
                    t.state().wireName(),
                    t.lastStep(),
                    waitingOn(t)};
            if (anyAdaptive) {
                String[] withRule = java.util.Arrays.copyOf(cells, cells.length + 1);
                withRule[cells.length] = t.stuckRule();
                cells = withRule;
            }
            if (anyWarning) {
                String[] withWarn = java.util.Arrays.copyOf(cells, cells.length + 1);
                withWarn[cells.length] = String.join(",", t.warnings());
                cells = withWarn;
            }
            table.row(cells);
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
