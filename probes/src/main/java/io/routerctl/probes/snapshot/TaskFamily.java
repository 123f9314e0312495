package io.routerctl.probes.snapshot;


import java.util.List;

/**
 * One task with its relatives, as the {@code task} request returns it.
 *
 * @param task     the task asked for
 * @param parent   its parent (a request's connection), or {@code null}
 * @param siblings other live tasks with the same parent
 * @param children live tasks whose parent it is
 */
public record TaskFamily(TaskSnapshot task, TaskSnapshot parent, List<TaskSnapshot> siblings, List<TaskSnapshot> children) {
}
