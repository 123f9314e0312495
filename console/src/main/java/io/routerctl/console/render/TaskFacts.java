package io.routerctl.console.render;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.snapshot.Warning;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code routerctl task} derives from one task for people: its step timeline with the time
 * each step took, its wait, its warnings with their meaning. The text view and the JSON document
 * ({@code routerctl.task/1}) show the same facts.
 *
 * <h2>Thread safety</h2>
 * Stateless; the records are immutable.
 */
public final class TaskFacts {

    private TaskFacts() {
    }

    /**
     * A task's state as a person reads it: a connection that idles because a request of its own
     * carries the work is {@code serving}, not {@code idle}; otherwise the state's wire name.
     *
     * @param servesRequests whether a live request task has this task as its parent
     */
    public static String state(io.routerctl.probes.snapshot.TaskSnapshot t, boolean servesRequests) {
        if (servesRequests && t.state() == io.routerctl.probes.snapshot.TaskState.IDLE
                && t.kind() == io.routerctl.probes.snapshot.TaskKind.CONNECTION) {
            return "serving";
        }
        return t.state().wireName();
    }

    /** The tasks among {@code tasks} that are the parent of a request among them. */
    public static java.util.Set<Long> servingRequests(java.util.Collection<io.routerctl.probes.snapshot.TaskSnapshot> tasks) {
        java.util.Set<Long> out = new java.util.HashSet<>();
        for (io.routerctl.probes.snapshot.TaskSnapshot t : tasks) {
            if (t.kind() == io.routerctl.probes.snapshot.TaskKind.REQUEST && t.parent() != null) {
                out.add(t.parent());
            }
        }
        return out;
    }

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
