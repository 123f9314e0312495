package io.routerctl.console.top;

import com.googlecode.lanterna.graphics.TextGraphics;
import io.routerctl.console.render.TaskFacts;
import io.routerctl.console.render.TaskText;
import io.routerctl.probes.snapshot.Warning;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.WaitHistogram;
import io.routerctl.probes.snapshot.PointSummary;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * One task in full: its socket addresses and loop, its parent connection and sibling requests, its
 * state, the step timeline (each step, when it happened after the task began, the time since the
 * step before), what it waits on and since when, and its warnings, each with what it means in a
 * sentence ({@link Warning#meaning()}). Scrolls when it is taller than the screen.
 *
 * <h2>Thread safety</h2>
 * Stateless; call from the UI thread with a model confined to it.
 */
final class TaskDetailView {

    private TaskDetailView() {
    }

    /** A line of the view and how to draw it. */
    record Line(String text, Style style) {
    }

    enum Style { TITLE, PLAIN, LABEL, STUCK, WARNING }

    static void draw(TextGraphics g, TopModel model, Theme theme) {
        int width = g.getSize().getColumns();
        int height = g.getSize().getRows();
        theme.plain(g);
        g.fill(' ');
        List<Line> lines = lines(model);
        int first = Math.min(model.detailScroll(), Math.max(0, lines.size() - height));
        for (int row = 0; row < height && first + row < lines.size(); row++) {
            Line line = lines.get(first + row);
            switch (line.style()) {
                case TITLE -> theme.title(g);
                case LABEL -> theme.label(g);
                case STUCK -> theme.stuck(g);
                case WARNING -> theme.warning(g);
                default -> theme.plain(g);
            }
            g.putString(0, row, Cells.cut(line.text(), width));
        }
    }

    /** The view's content for the model's detail task. */
    static List<Line> lines(TopModel model) {
        List<Line> out = new ArrayList<>();
        TaskSnapshot t = model.detailTask();
        if (t == null) {
            out.add(new Line("task " + model.detailId() + ": not known", Style.LABEL));
            return out;
        }
        boolean serving = false;
        if (model.detailFamily() != null) {
            for (TaskSnapshot child : model.detailFamily().children()) {
                serving |= child.kind() == io.routerctl.probes.snapshot.TaskKind.REQUEST;
            }
        }
        String heading = "task " + t.id() + "  " + t.kind() + (t.label() == null ? "" : "  " + t.label())
                + "  " + io.routerctl.console.render.TaskFacts.state(t, serving)
                + (t.stuck() ? "  ! STUCK: no progress for " + TimeText.duration(t.idleMs()) : "")
                + (model.detailGone() ? "  (finished: no longer in the target)" : "");
        out.add(new Line(heading, t.stuck() ? Style.STUCK : Style.TITLE));
        out.add(new Line("  remote   " + dash(t.remote()) + "    local " + dash(t.local()) + "    loop " + dash(t.loop()),
                Style.PLAIN));
        out.add(new Line("  age      " + (t.ageAtLeast() ? "at least " : "") + TimeText.duration(t.ageMs()) + "    no progress for "
                + TimeText.duration(t.idleMs()) + "    stuck after " + TimeText.duration(model.olderThanMs()),
                Style.PLAIN));
        TaskFamily family = model.detailFamily();
        if (t.waitingOn() != null) {
            out.add(new Line("  waiting  on " + t.waitingOn() + " for " + TimeText.duration(t.waitingMs())
                    + (t.waitingAt() == null ? "" : "    at " + t.waitingAt()), t.stuck() ? Style.STUCK : Style.PLAIN));
            PointSummary point = point(model, t.waitingOn());
            if (point != null && point.p50Ms() != null && point.p99Ms() != null) {
                out.add(new Line("  usually  " + t.waitingOn() + " takes p50 " + TimeText.offset(point.p50Ms())
                        + ", p99 " + TimeText.offset(point.p99Ms()) + " (" + TimeText.count(point.waits()) + " waits)"
                        + (point.lostWakeups() > 0 ? "; " + TimeText.count(point.lostWakeups())
                        + " lost wake-ups proven there since start" : ""), Style.LABEL));
            }
            if (family != null && family.waitHistogram() != null && family.waitHistogram().waits() > 0
                    && t.waitingMs() != null) {
                out.addAll(histogram(family.waitHistogram(), t.waitingMs(), t.stuck()));
            }
        } else {
            out.add(new Line("  waiting  on nothing", Style.PLAIN));
        }
        if (family != null) {
            TaskSnapshot parent = family.parent();
            if (parent != null) {
                out.add(new Line("  parent   " + parent.kind() + " " + parent.id() + "  " + dash(parent.remote())
                        + "  " + parent.state() + "  age " + TimeText.duration(parent.ageMs()), Style.PLAIN));
            } else if (t.parent() != null) {
                out.add(new Line("  parent   " + t.parent() + " (gone)", Style.LABEL));
            }
            out.add(new Line("  siblings " + relatives(family.siblings()), Style.PLAIN));
            if (!family.children().isEmpty()) {
                out.add(new Line("  children " + relatives(family.children()), Style.PLAIN));
            }
        } else if (t.parent() != null) {
            out.add(new Line("  parent   " + t.parent() + (model.detailGone() ? "" : "    (loading relatives...)"),
                    Style.LABEL));
        }
        out.add(new Line("", Style.PLAIN));

        String dropped = t.stepsDropped() > 0 ? " (" + t.stepsDropped() + " older steps not kept)" : "";
        out.add(new Line("Steps" + dropped, Style.TITLE));
        out.add(new Line(String.format("  %12s  %-24s %12s", "AT", "STEP", "+DELTA"), Style.LABEL));
        List<TaskFacts.TimelineStep> timeline = TaskFacts.timeline(t);
        boolean shared = false;
        for (int i = 0; i < timeline.size(); i++) {
            TaskFacts.TimelineStep step = timeline.get(i);
            boolean same = TaskText.sameStamp(timeline, i);
            shared |= same;
            String delta = i == 0 ? "" : same ? TaskText.SAME_STAMP : "+" + TimeText.offset(step.deltaMs());
            out.add(new Line(String.format("  %12s  %-24s %12s", TimeText.offset(step.atMs()), step.name(), delta),
                    Style.PLAIN));
        }
        if (shared) {
            out.add(new Line("  " + TaskText.SAME_STAMP_MEANS, Style.LABEL));
        }
        if (t.steps().isEmpty()) {
            out.add(new Line("  (no steps recorded yet)", Style.LABEL));
        }
        if (t.waitingOn() != null) {
            out.add(new Line(String.format("  %12s  %-24s %12s", "now", "waiting on " + t.waitingOn(),
                    "+" + TimeText.duration(t.waitingMs())), t.stuck() ? Style.STUCK : Style.PLAIN));
        } else if (t.lastStepAgoMs() != null) {
            out.add(new Line(String.format("  %12s  %-24s %12s", "now", "", "+" + TimeText.duration(t.lastStepAgoMs())),
                    Style.LABEL));
        }
        out.add(new Line("", Style.PLAIN));

        out.add(new Line("Warnings", Style.TITLE));
        if (t.stuck()) {
            String rule = t.stuckRule() == null || "older-than".equals(t.stuckRule())
                    ? ", longer than the stuck threshold of " + TimeText.duration(model.olderThanMs())
                    : " (rule: " + t.stuckRule() + ")";
            out.add(new Line("  stuck        no progress for " + TimeText.duration(t.idleMs()) + rule, Style.STUCK));
        }
        for (String name : t.warnings()) {
            Warning w = Warning.ofWireName(name);
            String meaning = w == null ? "(a warning this console does not know)" : w.meaning();
            out.add(new Line("  " + String.format("%-12s", name) + " " + meaning, Style.WARNING));
        }
        if (!t.stuck() && t.warnings().isEmpty()) {
            out.add(new Line("  none", Style.LABEL));
        }
        return out;
    }

    /** Cells per bucket in the histogram. */
    static final int CELL = 2;
    /** Where the histogram's bars start. */
    static final String INDENT = "           ";

    /**
     * The point's completed waits as a histogram over log-scaled buckets, this wait marked under
     * its bucket, and the axis: "usual p99 10ms, this one 13.8s" seen at a glance.
     */
    static List<Line> histogram(WaitHistogram h, long waitingMs, boolean stuck) {
        List<Line> out = new ArrayList<>();
        String usual = h.p99Ms() == null ? "" : ": usual p99 " + TimeText.offset(h.p99Ms()) + ", this one "
                + TimeText.duration(waitingMs) + (h.p99Ms() > 0 && waitingMs > h.p99Ms()
                ? " (" + TimeText.count(Math.round(waitingMs / h.p99Ms())) + "x)" : "");
        out.add(new Line("  history  " + TimeText.count(h.waits()) + " completed waits on " + h.point() + usual,
                stuck ? Style.STUCK : Style.LABEL));
        long max = 0;
        for (long c : h.counts()) {
            max = Math.max(max, c);
        }
        long[] values = new long[h.counts().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = h.counts().get(i);
        }
        StringBuilder bars = new StringBuilder(INDENT);
        for (char c : Sparkline.of(values, max).toCharArray()) {
            bars.append(String.valueOf(c == '.' ? ' ' : c).repeat(CELL));
        }
        out.add(new Line(bars.toString(), Style.PLAIN));
        int here = h.bucketOf(waitingMs);
        StringBuilder marker = new StringBuilder(INDENT);
        marker.append(" ".repeat(here * CELL)).append(Sparkline.marker()).append(" this wait, ")
                .append(TimeText.duration(waitingMs));
        out.add(new Line(marker.toString(), stuck ? Style.STUCK : Style.PLAIN));
        out.add(new Line(INDENT + axis(h), Style.LABEL));
        return out;
    }

    /** Labels under the buckets that end at 1ms, 10ms, 100ms, 1s, 10s and 100s. */
    private static String axis(WaitHistogram h) {
        char[] line = new char[(h.upperMs().size() + 1) * CELL + 6];
        java.util.Arrays.fill(line, ' ');
        String[] names = {"1ms", "10ms", "100ms", "1s", "10s", "100s"};
        double[] at = {1, 10, 100, 1_000, 10_000, 100_000};
        for (int k = 0; k < at.length; k++) {
            int i = h.upperMs().indexOf(at[k]);
            if (i < 0) {
                continue;
            }
            int x = i * CELL;
            for (int c = 0; c < names[k].length() && x + c < line.length; c++) {
                line[x + c] = names[k].charAt(c);
            }
        }
        return new String(line).stripTrailing();
    }

    private static String relatives(List<TaskSnapshot> tasks) {
        if (tasks.isEmpty()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        s.append(tasks.size()).append(":");
        for (TaskSnapshot r : tasks) {
            s.append("  ").append(r.kind()).append(' ').append(r.id()).append(' ').append(r.state());
            if (r.waitingOn() != null) {
                s.append(" on ").append(r.waitingOn());
            }
            s.append(' ').append(TimeText.duration(r.ageMs()));
            if (r.stuck()) {
                s.append(" !stuck");
            }
        }
        return s.toString();
    }

    /** What the target reported of the await point {@code name}, or {@code null}. */
    private static PointSummary point(TopModel model, String name) {
        LiveData data = model.shown();
        if (data == null) {
            return null;
        }
        for (PointSummary p : data.report().points()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }
}
