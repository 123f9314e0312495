package io.routerctl.console.render;

import io.routerctl.console.render.TextTable.Align;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.List;
import java.util.Locale;

/**
 * The text of {@code routerctl task ID}: the task's identity and state, what it waits on, its
 * warnings with their meaning, its step timeline, and its relatives.
 *
 * <pre>
 * request 17 (stuck: no progress for 12.5s)
 *   remote 127.0.0.1:40001  local 127.0.0.1:8080  loop loop-0
 *   state waiting, age 12.5s, last step auth-requested 12.5s ago
 *   waiting on auth for 12.5s (since 0.3ms after start), at LegacyAuthAdapter.java:41
 * </pre>
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. Never returns {@code null}.
 */
public final class TaskText {

    /** The delta of a step recorded in the same event as the one before it. */
    public static final String SAME_STAMP = "same stamp";
    /** Whether step {@code i} of a {@link TaskFacts#timeline} was recorded in the same event as the one before it. */
    public static boolean sameStamp(List<TaskFacts.TimelineStep> timeline, int i) {
        return i > 0 && timeline.get(i).deltaMs() == 0;
    }

    /** What {@link #SAME_STAMP} means, said once under the steps. */
    public static final String SAME_STAMP_MEANS = "same stamp: recorded in the same event as the step above, which "
            + "reads the clock once; steps are listed in the order they ran";

    /** Relatives listed by name before the rest are counted. */
    static final int RELATIVES_SHOWN = 10;

    private TaskText() {
    }

    /** The whole view, every line ending in a newline. */
    public static String render(TaskFamily family, long thresholdMs) {
        TaskSnapshot t = family.task();
        StringBuilder out = new StringBuilder();
        out.append(t.kind()).append(' ').append(t.id());
        if (t.stuck()) {
            out.append(" (stuck: no progress for ").append(Durations.format(t.idleMs())).append(", threshold ")
                    .append(Durations.format(thresholdMs)).append(')');
        } else if (t.lastStep() == null) {
            out.append(" (not stuck: ").append(t.state() == io.routerctl.probes.snapshot.TaskState.IDLE ? "idle"
                    : "started " + Durations.format(t.ageMs()) + " ago").append(')');
        } else {
            out.append(" (not stuck: last progress ").append(Durations.format(t.idleMs())).append(" ago)");
        }
        out.append('\n');
        out.append("  remote ").append(or(t.remote())).append("  local ").append(or(t.local()))
                .append("  loop ").append(or(t.loop())).append('\n');
        boolean serving = false;
        for (TaskSnapshot child : family.children()) {
            serving |= child.kind() == io.routerctl.probes.snapshot.TaskKind.REQUEST;
        }
        out.append("  state ").append(TaskFacts.state(t, serving)).append(", age ").append(t.ageAtLeast() ? "at least " : "")
                .append(Durations.format(t.ageMs()));
        if (t.lastStep() != null) {
            out.append(", last step ").append(t.lastStep());
            if (t.lastStepAgoMs() != null) {
                out.append(' ').append(Durations.format(t.lastStepAgoMs())).append(" ago");
            }
        } else if (t.stuck()) {
            out.append(", no step yet");
        }
        out.append('\n');
        TaskFacts.Waiting w = TaskFacts.waiting(t);
        if (w != null) {
            out.append("  waiting on ").append(w.on()).append(" for ").append(Durations.format(w.forMs()))
                    .append(" (since ").append(Durations.format(w.sinceMs())).append(" after start)");
            if (w.at() != null) {
                out.append(", at ").append(w.at());
            }
            out.append('\n');
        }
        if (!t.warnings().isEmpty()) {
            out.append("\nWarnings:\n");
            for (TaskFacts.WarningText warning : TaskFacts.warnings(t)) {
                out.append("  ").append(warning.name()).append(": ").append(warning.meaning()).append('\n');
            }
        }
        out.append("\nSteps:\n");
        if (t.steps().isEmpty()) {
            out.append("  none recorded\n");
        } else {
            TextTable steps = new TextTable().column("STEP", Align.LEFT).column("AT", Align.RIGHT)
                    .column("+DELTA", Align.RIGHT);
            if (t.stepsDropped() > 0) {
                steps.row("(" + t.stepsDropped() + " earlier)", "", "");
            }
            boolean shared = false;
            List<TaskFacts.TimelineStep> timeline = TaskFacts.timeline(t);
            for (int i = 0; i < timeline.size(); i++) {
                TaskFacts.TimelineStep s = timeline.get(i);
                boolean same = sameStamp(timeline, i);
                shared |= same;
                steps.row(s.name(), millis(s.atMs()), same ? SAME_STAMP : "+" + millis(s.deltaMs()));
            }
            steps.render().lines().forEach(l -> out.append("  ").append(l).append('\n'));
            if (shared) {
                out.append("  ").append(SAME_STAMP_MEANS).append('\n');
            }
        }
        out.append('\n');
        out.append("Parent: ").append(family.parent() == null ? (t.parent() == null ? "none" : t.parent() + " (gone)")
                : one(family.parent(), TaskFacts.state(family.parent(), t.kind() == io.routerctl.probes.snapshot.TaskKind.REQUEST
                        && t.inFlight()))).append('\n');
        relatives(out, "Siblings", family.siblings());
        relatives(out, "Children", family.children());
        return out.toString();
    }

    private static void relatives(StringBuilder out, String heading, List<TaskSnapshot> tasks) {
        out.append(heading).append(": ");
        if (tasks.isEmpty()) {
            out.append("none\n");
            return;
        }
        out.append(tasks.size()).append('\n');
        for (int i = 0; i < tasks.size() && i < RELATIVES_SHOWN; i++) {
            out.append("  ").append(one(tasks.get(i))).append('\n');
        }
        if (tasks.size() > RELATIVES_SHOWN) {
            out.append("  ... ").append(tasks.size() - RELATIVES_SHOWN).append(" more (--json lists all)\n");
        }
    }

    /** {@code connection 16 idle, age 12.5s, remote 127.0.0.1:40001}. */
    static String one(TaskSnapshot t) {
        return one(t, t.state().wireName());
    }

    /** As {@link #one(TaskSnapshot)}, with the state as given (a parent that is {@code serving}). */
    static String one(TaskSnapshot t, String state) {
        StringBuilder s = new StringBuilder().append(t.kind()).append(' ').append(t.id()).append(' ').append(state)
                .append(", age ").append(t.ageAtLeast() ? "at least " : "")
                .append(Durations.format(t.ageMs()));
        if (t.lastStep() != null) {
            s.append(", after ").append(t.lastStep());
        }
        if (t.waitingOn() != null) {
            s.append(", waiting on ").append(StuckTaskTable.waitingOn(t));
        }
        if (t.stuck()) {
            s.append(", STUCK");
        }
        if (t.remote() != null) {
            s.append(", remote ").append(t.remote());
        }
        return s.toString();
    }

    /** Fractional milliseconds: {@code 0.125ms} below 10ms, else as {@link Durations#format(long)}. */
    public static String millis(double ms) {
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.3fms", ms).replaceAll("\\.?0+ms$", "ms");
        }
        return Durations.format(Math.round(ms));
    }

    private static String or(String s) {
        return s == null ? "-" : s;
    }
}
