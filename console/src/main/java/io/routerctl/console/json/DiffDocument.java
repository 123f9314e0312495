package io.routerctl.console.json;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.query.TaskDiff;

import java.util.List;

/**
 * What {@code routerctl diff A B --json} prints: schema {@value #SCHEMA}, documented in
 * {@code docs/cli.md}. Playbooks read {@code persistent[]}, {@code new[]}, {@code resolved[]} and
 * {@code summary.groups[].text}.
 *
 * @param schema      always {@value #SCHEMA}
 * @param target      the process compared
 * @param a           the first moment
 * @param b           the second moment
 * @param thresholdMs the stuck threshold applied to both
 * @param persistent  stuck in both, no progress in between: the real hangs (as seen in B)
 * @param fresh       stuck only in B ({@code new} in JSON)
 * @param resolved    stuck in A, gone or progressed in B: slow, not stuck (as seen in A)
 * @param summary     counts and groups
 *
 * <h2>Thread safety</h2>
 * Immutable records. Lists are never {@code null}.
 */
@JsonPropertyOrder({"schema", "target", "a", "b", "threshold_ms", "persistent", "new", "resolved", "summary"})
public record DiffDocument(String schema, DumpStuckDocument.Target target, Moment a, Moment b, long thresholdMs,
                           List<TaskSnapshot> persistent,
                           @com.fasterxml.jackson.annotation.JsonProperty("new") List<TaskSnapshot> fresh,
                           List<TaskSnapshot> resolved, Summary summary) {

    /** The schema name and version of this document. */
    public static final String SCHEMA = "routerctl.diff/1";

    /**
     * One side.
     *
     * @param source         {@code live} or the snapshot file
     * @param takenAtEpochMs when the target read its tasks
     * @param truncated      whether that side holds only the capped part of the tasks
     */
    @JsonPropertyOrder({"source", "taken_at_epoch_ms", "truncated"})
    public record Moment(String source, long takenAtEpochMs, boolean truncated) {
    }

    /**
     * Counts and groups.
     *
     * @param elapsedMs          time from A to B
     * @param resolvedGone       resolved tasks that had left by B
     * @param resolvedProgressed resolved tasks still there in B, having progressed
     * @param groups             the persistent tasks grouped, each with dump-stuck's sentence in {@code text}
     * @param newGroups          the new tasks grouped likewise
     */
    @JsonPropertyOrder({"persistent", "new", "resolved", "resolved_gone", "resolved_progressed", "elapsed_ms", "groups",
            "new_groups"})
    public record Summary(int persistent, @com.fasterxml.jackson.annotation.JsonProperty("new") int fresh, int resolved,
                          int resolvedGone, int resolvedProgressed, long elapsedMs,
                          List<DumpStuckDocument.Group> groups, List<DumpStuckDocument.Group> newGroups) {
    }

    /** The document for {@code diff}. */
    public static DiffDocument of(DumpStuckDocument.Target target, Moment a, Moment b, long thresholdMs, TaskDiff diff) {
        return new DiffDocument(SCHEMA, target, a, b, thresholdMs,
                diff.persistent(),
                diff.fresh(),
                diff.resolved(),
                new Summary(diff.persistent().size(), diff.fresh().size(), diff.resolved().size(), diff.resolvedGone(),
                        diff.resolvedProgressed(), b.takenAtEpochMs() - a.takenAtEpochMs(),
                        diff.groups().stream().map(DumpStuckDocument.Group::of).toList(),
                        diff.newGroups().stream().map(DumpStuckDocument.Group::of).toList()));
    }
}
