package io.routerctl.probes.snapshot;

import java.util.List;

/**
 * A consistent copy of one task at one moment.
 *
 * @param id            unique within the target process while the task lives
 * @param kind          what the task stands for
 * @param parent        the parent task's id (a request's connection), or {@code null}
 * @param remote        peer address "ip:port" as {@code ss -tn} shows it, or {@code null}
 * @param local         local address "ip:port" as {@code ss -tn} shows it, or {@code null}
 * @param loop          name of the event loop (shard) that owns the task
 * @param ageMs         milliseconds since the task started
 * @param state         where it stands; only running and waiting tasks are in flight
 * @param lastStep      the last step completed, or {@code null} if none yet
 * @param lastStepAgoMs milliseconds since {@code lastStep}, or {@code null}
 * @param waitingOn     the probe point waited on, or {@code null} if not waiting
 * @param waitingMs     milliseconds waited so far, or {@code null} if not waiting
 * @param waitingAt     code location of the probe point waited on, or {@code null}
 * @param stuck         whether the query's stuck rule holds for this task
 * @param idleMs        milliseconds since the task last made progress (a step, a completion)
 * @param steps         the steps recorded, oldest first (the most recent ones if some were dropped)
 * @param stepsDropped  how many older steps were not kept
 * @param warnings      warning names, e.g. {@code lost-wakeup}; empty if none
 * @param stuckRule     which rule made the task stuck ({@code older-than}, {@code adaptive}), or
 *                      {@code null} when it is not stuck
 * @param label         what the task is, e.g. {@code GET /api/items/42} for a request (method and
 *                      path, no query string), or {@code null}
 * @param ageAtLeast    whether the task began before it was registered (a request read before
 *                      routerctl came), so that {@code ageMs} is a lower bound
 */
public record TaskSnapshot(
        long id,
        TaskKind kind,
        Long parent,
        String remote,
        String local,
        String loop,
        long ageMs,
        TaskState state,
        String lastStep,
        Long lastStepAgoMs,
        String waitingOn,
        Long waitingMs,
        String waitingAt,
        boolean stuck,
        long idleMs,
        List<StepSnapshot> steps,
        int stepsDropped,
        List<String> warnings,
        String stuckRule,
        String label,
        boolean ageAtLeast) {

    public TaskSnapshot {
        java.util.Objects.requireNonNull(kind, "kind");
        java.util.Objects.requireNonNull(state, "state");
        steps = steps == null ? List.of() : List.copyOf(steps);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A task whose age is exact. */
    public TaskSnapshot(long id, TaskKind kind, Long parent, String remote, String local, String loop, long ageMs,
                        TaskState state, String lastStep, Long lastStepAgoMs, String waitingOn, Long waitingMs,
                        String waitingAt, boolean stuck, long idleMs, List<StepSnapshot> steps, int stepsDropped,
                        List<String> warnings, String stuckRule, String label) {
        this(id, kind, parent, remote, local, loop, ageMs, state, lastStep, lastStepAgoMs, waitingOn, waitingMs,
                waitingAt, stuck, idleMs, steps, stepsDropped, warnings, stuckRule, label, false);
    }

    /** A task without a label. */
    public TaskSnapshot(long id, TaskKind kind, Long parent, String remote, String local, String loop, long ageMs,
                        TaskState state, String lastStep, Long lastStepAgoMs, String waitingOn, Long waitingMs,
                        String waitingAt, boolean stuck, long idleMs, List<StepSnapshot> steps, int stepsDropped,
                        List<String> warnings, String stuckRule) {
        this(id, kind, parent, remote, local, loop, ageMs, state, lastStep, lastStepAgoMs, waitingOn, waitingMs,
                waitingAt, stuck, idleMs, steps, stepsDropped, warnings, stuckRule, null);
    }

    /** A task whose stuck rule is {@code older-than} when stuck (the rule before adaptive thresholds). */
    public TaskSnapshot(long id, TaskKind kind, Long parent, String remote, String local, String loop, long ageMs,
                        TaskState state, String lastStep, Long lastStepAgoMs, String waitingOn, Long waitingMs,
                        String waitingAt, boolean stuck, long idleMs, List<StepSnapshot> steps, int stepsDropped,
                        List<String> warnings) {
        this(id, kind, parent, remote, local, loop, ageMs, state, lastStep, lastStepAgoMs, waitingOn, waitingMs,
                waitingAt, stuck, idleMs, steps, stepsDropped, warnings, stuck ? "older-than" : null);
    }

    /** Whether the task is in flight (running or waiting): only those can be stuck. */
    public boolean inFlight() {
        return state.isInFlight();
    }

    /** This task with its stuck flag and rule set as given (the rest unchanged). */
    public TaskSnapshot withStuckRule(String rule) {
        if (java.util.Objects.equals(rule, stuckRule) && stuck == (rule != null)) {
            return this;
        }
        return new TaskSnapshot(id, kind, parent, remote, local, loop, ageMs, state, lastStep, lastStepAgoMs,
                waitingOn, waitingMs, waitingAt, rule != null, idleMs, steps, stepsDropped, warnings, rule, label,
                ageAtLeast);
    }
}
