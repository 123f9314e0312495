package io.routerctl.console.render;

import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskReport;

import java.util.List;
import java.util.Locale;

/**
 * The sentences that state a stuck diagnosis: one per group, a summary line, and the one-line
 * status that {@code demo} prints (and that fits a status bar).
 *
 * <pre>
 * 37 requests stuck after route-resolved, waiting on auth (oldest 12.4s)     {@link #sentence}
 * in flight 41, stuck 12 (showing 12), threshold 5s                          {@link #summary}
 * No stuck tasks (in flight 41, threshold 5s).                               {@link #summary}
 * in flight 41 | stuck 12: 12 waiting on auth after route-resolved (oldest 9.8s)  {@link #statusLine}
 * </pre>
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. No method returns {@code null}.
 */
public final class StuckText {

    /** Groups shown in a {@link #statusLine}; the rest are counted as "+N more". */
    public static final int STATUS_LINE_GROUPS = 2;

    private StuckText() {
    }

    /** {@code 37 requests stuck after route-resolved, waiting on auth (oldest 12.4s)}. */
    public static String sentence(StuckGroup g) {
        StringBuilder s = new StringBuilder()
                .append(g.count()).append(' ').append(plural(g.kind(), g.count()))
                .append(" stuck ").append(afterStep(g.lastStep()));
        if (g.waitingOn() != null) {
            s.append(", waiting on ").append(g.waitingOn());
        } else {
            s.append(", not waiting on anything known");
        }
        return s.append(" (oldest ").append(Durations.format(g.oldestMs())).append(')').toString();
    }

    /** {@code 12 waiting on auth after route-resolved (oldest 9.8s)}: a group in few words. */
    public static String compact(StuckGroup g) {
        StringBuilder s = new StringBuilder().append(g.count()).append(' ');
        if (g.waitingOn() != null) {
            s.append("waiting on ").append(g.waitingOn()).append(' ');
        } else {
            s.append(plural(g.kind(), g.count())).append(' ');
        }
        return s.append(afterStep(g.lastStep()))
                .append(" (oldest ").append(Durations.format(g.oldestMs())).append(')').toString();
    }

    /**
     * The closing line of a dump: {@code in flight 41, stuck 12 (showing 12), threshold 5s}, saying
     * so when {@code limit} cut the list; or {@code No stuck tasks (in flight 41, threshold 5s).}
     */
    public static String summary(TaskReport report, long thresholdMs, int limit) {
        String threshold = Durations.format(thresholdMs);
        if (report.stuck() == 0 && report.tasks().isEmpty()) {
            return "No stuck tasks (in flight " + report.inFlight() + ", threshold " + threshold + ").";
        }
        int shown = report.tasks().size();
        StringBuilder s = new StringBuilder()
                .append("in flight ").append(report.inFlight())
                .append(", stuck ").append(report.stuck())
                .append(" (showing ").append(shown);
        if (shown < report.matched()) {
            s.append("; --limit ").append(limit).append(" cut ").append(report.matched() - shown).append(" more");
        }
        s.append("), threshold ").append(threshold);
        if (report.refused() > 0) {
            s.append("; ").append(report.refused()).append(" registrations refused (registry full)");
        }
        return s.toString();
    }

    /**
     * One line of what is going on: {@code in flight 41 | stuck 12: 12 waiting on auth after
     * route-resolved (oldest 9.8s)}; at most {@value #STATUS_LINE_GROUPS} groups, then {@code +N more}.
     */
    public static String statusLine(TaskReport report) {
        StringBuilder s = new StringBuilder()
                .append("in flight ").append(report.inFlight())
                .append(" | stuck ").append(report.stuck());
        List<StuckGroup> groups = report.groups();
        if (!groups.isEmpty()) {
            s.append(": ");
            int shown = Math.min(STATUS_LINE_GROUPS, groups.size());
            for (int i = 0; i < shown; i++) {
                if (i > 0) {
                    s.append("; ");
                }
                s.append(compact(groups.get(i)));
            }
            if (groups.size() > shown) {
                s.append("; +").append(groups.size() - shown).append(" more groups");
            }
        }
        return s.toString();
    }

    private static String afterStep(String lastStep) {
        return lastStep == null ? "before any step" : "after " + lastStep;
    }

    /** {@code request} -> {@code requests} when {@code count != 1}; an unknown kind reads as tasks. */
    static String plural(String kind, int count) {
        String k = kind == null || kind.isEmpty() ? "task" : kind.toLowerCase(Locale.ROOT);
        return count == 1 ? k : k + "s";
    }
}
