package io.routerctl.probes.snapshot;


import java.util.List;

/**
 * One task with its relatives, as the {@code task} request returns it.
 *
 * @param task          the task asked for
 * @param parent        its parent (a request's connection), or {@code null}
 * @param siblings      other live tasks with the same parent
 * @param children      live tasks whose parent it is
 * @param waitHistogram how long completed waits on the point it waits on took, or {@code null}
 *                      when it waits on nothing known (or the target predates it)
 */
public record TaskFamily(TaskSnapshot task, TaskSnapshot parent, List<TaskSnapshot> siblings, List<TaskSnapshot> children,
                         WaitHistogram waitHistogram) {

    /** A family without a wait histogram. */
    public TaskFamily(TaskSnapshot task, TaskSnapshot parent, List<TaskSnapshot> siblings, List<TaskSnapshot> children) {
        this(task, parent, siblings, children, null);
    }

    /** This family with {@code histogram}. */
    public TaskFamily withWaitHistogram(WaitHistogram histogram) {
        return new TaskFamily(task, parent, siblings, children, histogram);
    }
}
