package io.routerctl.probes.snapshot;

import java.util.List;

/**
 * A consistent copy of one task at one moment.
 *
 * @param id            unique within the target process while the task lives
 * @param kind          {@code connection}, {@code request} or {@code future}
 * @param parent        the parent task's id (a request's connection), or {@code null}
 * @param remote        peer address "ip:port" as {@code ss -tn} shows it, or {@code null}
 * @param local         local address "ip:port" as {@code ss -tn} shows it, or {@code null}
 * @param loop          name of the event loop (shard) that owns the task
 * @param ageMs         milliseconds since the task started
 * @param state         {@code running}, {@code waiting}, {@code idle}, ...
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
 */
public record TaskSnapshot(
        long id,
        String kind,
        Long parent,
        String remote,
        String local,
        String loop,
        long ageMs,
        String state,
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
        String stuckRule) {

    public TaskSnapshot {
        steps = steps == null ? List.of() : List.copyOf(steps);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A task whose stuck rule is {@code older-than} when stuck (the rule before adaptive thresholds). */
    public TaskSnapshot(long id, String kind, Long parent, String remote, String local, String loop, long ageMs,
                        String state, String lastStep, Long lastStepAgoMs, String waitingOn, Long waitingMs,
                        String waitingAt, boolean stuck, long idleMs, List<StepSnapshot> steps, int stepsDropped,
                        List<String> warnings) {
        this(id, kind, parent, remote, local, loop, ageMs, state, lastStep, lastStepAgoMs, waitingOn, waitingMs,
                waitingAt, stuck, idleMs, steps, stepsDropped, warnings, stuck ? "older-than" : null);
    }
}
