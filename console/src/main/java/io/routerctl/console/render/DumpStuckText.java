package io.routerctl.console.render;

import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.attach.GcResult;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole text of {@code routerctl dump-stuck}: the table of stuck tasks, one sentence per
 * blocked loop and per group, and the summary line; or the single "No stuck tasks" line. Playbook reports and the
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
        return render(report, thresholdMs, limit, List.of(), null);
    }

    /**
     * The report as text, with a line per blocked loop (from {@code loops}, may be empty) and, when
     * {@code gc} is not null, first a line saying what the GC asked for by {@code --gc} found.
     */
    public static String render(TaskReport report, long thresholdMs, int limit, List<LoopSnapshot> loops, GcResult gc) {
        StringBuilder out = new StringBuilder();
        if (gc != null) {
            out.append(gcLine(gc)).append('\n');
        }
        if (!report.tasks().isEmpty()) {
            out.append(StuckTaskTable.of(report.tasks()).render()).append('\n');
        }
        List<String> sentences = new ArrayList<>();
        for (LoopSnapshot loop : loops) {
            if (loop.health() != null && loop.health().blocked()) {
                List<TaskSnapshot> on = report.tasks().stream().filter(t -> loop.name().equals(t.loop())).toList();
                String kind = on.stream().allMatch(t -> t.kind() == TaskKind.REQUEST) ? "request" : "task";
                sentences.add(StuckText.blockedLoop(loop.name(), loop.health(), on.size(), kind));
            }
        }
        for (StuckGroup g : report.groups()) {
            sentences.add(StuckText.sentence(g));
        }
        for (String sentence : sentences) {
            out.append(sentence).append('\n');
        }
        if (!sentences.isEmpty()) {
            out.append('\n');
        }
        return out.append(StuckText.summary(report, thresholdMs, limit)).append('\n').toString();
    }

    /**
     * {@code full GC in the target: 35 lost wake-ups proven (37 since start), took 48ms}; with
     * {@code (from a collection 3.2s ago)} when the target answered with an earlier collection's
     * result, and a warning instead when its collectors show that none ran.
     */
    public static String gcLine(GcResult gc) {
        if (Boolean.FALSE.equals(gc.collected())) {
            return "full GC in the target: none ran (its collectors counted no collection), so lost wake-ups "
                    + "could not be proven; " + gc.lostWakeupsTotal() + " proven since start";
        }
        return "full GC in the target: " + gc.lostWakeupsFound() + " lost wake-up" + (gc.lostWakeupsFound() == 1 ? "" : "s")
                + " proven (" + gc.lostWakeupsTotal() + " since start), took " + Durations.format(gc.tookMs())
                + (gc.ageMs() > 0 ? " (from a collection " + Durations.format(gc.ageMs()) + " ago; at most one runs per "
                + "10s)" : "");
    }
}
