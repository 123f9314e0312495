package io.routerctl.console.json;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.routerctl.probes.snapshot.Warning;
import io.routerctl.console.render.TaskFacts;
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
                           TaskSnapshot task, List<TaskFacts.TimelineStep> timeline, TaskFacts.Waiting waiting,
                           List<TaskFacts.WarningText> warnings, TaskSnapshot parent,
                           List<TaskSnapshot> siblings, List<TaskSnapshot> children) {

    /** The schema name and version of this document. */
    public static final String SCHEMA = "routerctl.task/1";

    /** The document for {@code family}. */
    public static TaskDocument of(DumpStuckDocument.Target target, String source, long thresholdMs, TaskFamily family) {
        TaskSnapshot t = family.task();
        return new TaskDocument(SCHEMA, target, source, thresholdMs, t, TaskFacts.timeline(t),
                TaskFacts.waiting(t), TaskFacts.warnings(t),
                family.parent(),
                family.siblings(),
                family.children());
    }
}
