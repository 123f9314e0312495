package io.routerctl.console.top;

import com.googlecode.lanterna.graphics.TextGraphics;
import io.routerctl.console.render.StuckText;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The warnings line under the header. When the target is gone it says so ({@code target gone:
 * reconnecting (attempt 3)...}); otherwise it counts per warning kind, stuck first with what the stuck
 * tasks wait on ({@code ⚠ 12 stuck: 11 waiting on auth after route-resolved (oldest 9.8s)}), then
 * the other warnings carried by the rows received ({@code ⚠ 2 lost-wakeup}).
 *
 * <h2>Thread safety</h2>
 * Stateless; call from the UI thread with a model confined to it.
 */
final class WarningsView {

    static final int HEIGHT = 1;

    private WarningsView() {
    }

    static void draw(TextGraphics g, TopModel model, Theme theme) {
        int width = g.getSize().getColumns();
        theme.plain(g);
        g.fill(' ');
        if (model.link() == TopModel.Link.RECONNECTING) {
            theme.problem(g);
            String problem = model.linkProblem() == null ? "" : "  (" + model.linkProblem() + ")";
            g.putString(0, 0, Cells.left("target gone: reconnecting (attempt " + model.reconnectAttempt() + ")..."
                    + problem, width));
            return;
        }
        LiveData data = model.shown();
        if (data == null) {
            return;
        }
        String text = describe(data.report(), model.rows(), model.olderThanMs());
        if (text.startsWith("⚠")) {
            theme.warning(g);
        } else {
            theme.good(g);
        }
        g.putString(0, 0, Cells.cut(text, width));
    }

    /** The line's text for {@code report} and the {@code rows} received. */
    static String describe(TaskReport report, List<TaskSnapshot> rows, long olderThanMs) {
        StringBuilder line = new StringBuilder();
        if (report.stuck() > 0) {
            line.append("⚠ ").append(TimeText.count(report.stuck())).append(" stuck: ");
            List<StuckGroup> groups = report.groups();
            for (int i = 0; i < groups.size(); i++) {
                if (i > 0) {
                    line.append(", ");
                }
                line.append(group(groups.get(i)));
            }
            if (groups.isEmpty()) {
                line.append("no progress for ").append(TimeText.duration(olderThanMs)).append(" or more");
            }
        }
        Map<String, Integer> others = new LinkedHashMap<>();
        for (TaskSnapshot task : rows) {
            for (String w : task.warnings()) {
                others.merge(w, 1, Integer::sum);
            }
        }
        for (Map.Entry<String, Integer> e : others.entrySet()) {
            if (line.length() > 0) {
                line.append("   ");
            }
            line.append("⚠ ").append(e.getValue()).append(' ').append(e.getKey());
        }
        if (report.refused() > 0) {
            if (line.length() > 0) {
                line.append("   ");
            }
            line.append("⚠ ").append(TimeText.count(report.refused())).append(" registrations refused (registry full)");
        }
        if (report.growth() != null) {
            if (line.length() > 0) {
                line.append("   ");
            }
            line.append("⚠ ").append(StuckText.growth(report.growth()));
        }
        if (line.length() == 0) {
            return "nothing stuck for " + TimeText.duration(olderThanMs) + " or more";
        }
        return line.toString();
    }

    private static String group(StuckGroup g) {
        StringBuilder s = new StringBuilder();
        s.append(TimeText.count(g.count())).append(' ');
        if (g.waitingOn() != null) {
            s.append(StuckText.waiting(g.waitingOn()));
        } else {
            s.append(g.kind()).append(g.count() == 1 ? "" : "s").append(" without progress");
        }
        if (g.lastStep() != null && !StuckText.saidBy(g.waitingOn(), g.lastStep())) {
            s.append(" after ").append(g.lastStep());
        }
        s.append(" (oldest ").append(TimeText.duration(g.oldestMs()));
        if (g.lostWakeups() > 0) {
            s.append(", ").append(TimeText.count(g.lostWakeups())).append(" lost wake-up").append(g.lostWakeups() == 1 ? "" : "s");
        }
        if (g.waitP99Ms() != null) {
            s.append(", usual p99 ").append(TimeText.offset(g.waitP99Ms()));
        }
        s.append(')');
        return s.toString();
    }
}
