package io.routerctl.console.json;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.routerctl.probes.snapshot.Warning;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code routerctl task ID --json} prints: schema {@value #SCHEMA}, documented in
 * {@code docs/cli.md}.
 *
 * @param schema      always {@value #SCHEMA}
 * @param target      who was asked (for {@code --from}, the target the snapshot was taken of)
 * @param source      {@code live} or the snapshot file read
 * @param thresholdMs the stuck threshold applied
 * @param task        the task (fields as in dump-stuck's tasks)
 * @param timeline    its steps, each with the time since start and since the previous step
 * @param waiting     what it waits on and since when, or {@code null} when it does not wait
 * @param warnings    its warnings, each with what it means
 * @param parent      its parent (a request's connection), or {@code null}
 * @param siblings    the other live tasks of the same parent
 * @param children    live tasks whose parent it is
 *
 * <h2>Thread safety</h2>
 * Immutable records. Lists are never {@code null}.
 */
@JsonPropertyOrder({"schema", "target", "source", "threshold_ms", "task", "timeline", "waiting", "warnings", "parent",
        "siblings", "children"})
public record TaskDocument(String schema, DumpStuckDocument.Target target, String source, long thresholdMs,
                           DumpStuckDocument.Task task, List<TimelineStep> timeline, Waiting waiting,
                           List<WarningText> warnings, DumpStuckDocument.Task parent,
                           List<DumpStuckDocument.Task> siblings, List<DumpStuckDocument.Task> children) {

    /** The schema name and version of this document. */
    public static final String SCHEMA = "routerctl.task/1";

    /**
     * One step.
     *
     * @param name    the step
     * @param atMs    milliseconds since the task started
     * @param deltaMs milliseconds since the previous step (since the start for the first)
     */
    @JsonPropertyOrder({"name", "at_ms", "delta_ms"})
    public record TimelineStep(String name, double atMs, double deltaMs) {
    }

    /**
     * A wait.
     *
     * @param on      the await probe point
     * @param at      where it is declared in the code, or {@code null}
     * @param forMs   how long it has waited
     * @param sinceMs when the wait began, in milliseconds since the task started
     */
    @JsonPropertyOrder({"on", "at", "for_ms", "since_ms"})
    public record Waiting(String on, String at, long forMs, long sinceMs) {
    }

    /**
     * A warning.
     *
     * @param name    e.g. {@code lost-wakeup}
     * @param meaning what it means for the task
     */
    @JsonPropertyOrder({"name", "meaning"})
    public record WarningText(String name, String meaning) {
    }

    /** The document for {@code family}. */
    public static TaskDocument of(DumpStuckDocument.Target target, String source, long thresholdMs, TaskFamily family) {
        TaskSnapshot t = family.task();
        return new TaskDocument(SCHEMA, target, source, thresholdMs, DumpStuckDocument.Task.of(t), timeline(t),
                waiting(t), warnings(t),
                family.parent() == null ? null : DumpStuckDocument.Task.of(family.parent()),
                family.siblings().stream().map(DumpStuckDocument.Task::of).toList(),
                family.children().stream().map(DumpStuckDocument.Task::of).toList());
    }

    /** The steps with their deltas. */
    public static List<TimelineStep> timeline(TaskSnapshot t) {
        List<TimelineStep> out = new ArrayList<>(t.steps().size());
        double previous = 0;
        for (StepSnapshot s : t.steps()) {
            out.add(new TimelineStep(s.name(), s.atMs(), Math.round((s.atMs() - previous) * 1000) / 1000.0));
            previous = s.atMs();
        }
        return out;
    }

    /** The wait, or {@code null}. */
    public static Waiting waiting(TaskSnapshot t) {
        if (t.waitingOn() == null) {
            return null;
        }
        long forMs = t.waitingMs() == null ? 0 : t.waitingMs();
        return new Waiting(t.waitingOn(), t.waitingAt(), forMs, Math.max(0, t.ageMs() - forMs));
    }

    /** The warnings with their meanings; an unknown name means what its name says. */
    public static List<WarningText> warnings(TaskSnapshot t) {
        List<WarningText> out = new ArrayList<>();
        for (String name : t.warnings()) {
            Warning w = Warning.ofWireName(name);
            out.add(new WarningText(name, w == null ? "a warning this routerctl does not know" : w.meaning()));
        }
        return out;
    }
}
