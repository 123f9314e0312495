package io.routerctl.console.attach;

import io.routerctl.console.render.TextTable;
import io.routerctl.console.render.Durations;
import io.routerctl.console.render.Printable;
import io.routerctl.console.render.TextTable.Align;

import java.util.List;

/**
 * Attachable targets as {@code routerctl list} prints them: PID, NAME, UPTIME, SOCKET; a target
 * that did not answer shows why in parentheses as its name: {@code (busy)}, {@code (not trusted)},
 * {@code (not answering)}.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. Never returns {@code null}.
 */
public final class TargetTable {

    private TargetTable() {
    }

    /** The targets as a table, in the order given. */
    public static TextTable of(List<TargetStatus> targets) {
        TextTable table = new TextTable()
                .column("PID", Align.RIGHT)
                .column("NAME", Align.LEFT)
                .column("UPTIME", Align.RIGHT)
                .column("SOCKET", Align.LEFT);
        for (TargetStatus t : targets) {
            table.row(Long.toString(t.pid()),
                    t.answering() ? Printable.of(t.info().name()) : "(" + t.state() + ")",
                    t.answering() ? Durations.format(t.info().uptimeMs()) : null,
                    Printable.of(t.socket().toString()));
        }
        return table;
    }
}
