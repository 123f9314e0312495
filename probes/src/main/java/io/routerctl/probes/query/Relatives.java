package io.routerctl.probes.query;

import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A task's family as the {@code task} op answers it, for live registries and snapshots alike: its
 * parent, its siblings (the parent's other children) and its children, each list by id and at
 * most {@code max} long. The caller classifies every member with {@link StuckRule} at the
 * threshold asked for, with the adaptive rule on.
 *
 * <h2>Thread safety</h2>
 * Stateless.
 */
public final class Relatives {

    private static final Comparator<TaskSnapshot> BY_ID = Comparator.comparingLong(TaskSnapshot::id);

    private Relatives() {
    }

    /**
     * @param task            the task asked for
     * @param parent          its parent, or {@code null}
     * @param parentsChildren the parent's children (the task itself may be among them), in any order
     * @param children        the task's children, in any order
     * @param max             the most siblings and the most children listed
     */
    public static TaskFamily family(TaskSnapshot task, TaskSnapshot parent, List<TaskSnapshot> parentsChildren,
                                    List<TaskSnapshot> children, int max) {
        List<TaskSnapshot> siblings = new ArrayList<>(parentsChildren.size());
        for (TaskSnapshot s : parentsChildren) {
            if (s.id() != task.id()) {
                siblings.add(s);
            }
        }
        return new TaskFamily(task, parent, firstById(siblings, max), firstById(children, max));
    }

    private static List<TaskSnapshot> firstById(List<TaskSnapshot> tasks, int max) {
        List<TaskSnapshot> sorted = new ArrayList<>(tasks);
        sorted.sort(BY_ID);
        return sorted.size() > max ? List.copyOf(sorted.subList(0, max)) : sorted;
    }
}
