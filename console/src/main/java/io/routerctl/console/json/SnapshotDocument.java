package io.routerctl.console.json;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSnapshot;
import io.routerctl.probes.snapshot.PointSummary;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.List;

/**
 * A snapshot file, as {@code routerctl snapshot} writes it: schema {@value #SCHEMA}, documented
 * in {@code docs/snapshot-schema.md}. Records are the wire protocol's, so the file reads like the
 * target's own answers.
 *
 * @param schema         always {@value #SCHEMA}
 * @param target         the target's hello
 * @param socket         the attach socket the snapshot was taken through
 * @param takenAtEpochMs when the target read the tasks (its wall clock)
 * @param thresholdMs    the stuck threshold in effect when taken ({@code --older-than}); readers may
 *                       apply another
 * @param limit          the most tasks a snapshot holds ({@value io.routerctl.probes.snapshot.TaskQuery#MAX_LIMIT})
 * @param truncated      whether the target had more live tasks than {@code limit}
 * @param inFlight       tasks in flight in the target (all of them, even if truncated)
 * @param liveTasks      live tasks the target had (all of them, even if truncated)
 * @param stuck          of those, stuck at {@code thresholdMs}
 * @param refused        registrations refused since start (registry full)
 * @param loops          the event loops, with health where watched
 * @param points         the probe points the target declared
 * @param pointSummaries what the target knew of each await point (wait percentiles, lost wake-ups)
 * @param tasks          the live tasks (connections included), longest without progress first
 *
 * <h2>Thread safety</h2>
 * Immutable records. Lists are never {@code null}.
 */
@JsonPropertyOrder({"schema", "target", "socket", "taken_at_epoch_ms", "threshold_ms", "limit", "truncated",
        "in_flight", "live_tasks", "stuck", "refused", "loops", "points", "point_summaries", "tasks"})
public record SnapshotDocument(String schema, TargetInfo target, String socket, long takenAtEpochMs, long thresholdMs,
                               int limit, boolean truncated, int inFlight, int liveTasks, int stuck, long refused,
                               List<LoopSnapshot> loops, List<PointSnapshot> points,
                               List<PointSummary> pointSummaries, List<TaskSnapshot> tasks) {

    /** The schema name and version of this document. */
    public static final String SCHEMA = "routerctl.snapshot/1";

    public SnapshotDocument {
        loops = loops == null ? List.of() : List.copyOf(loops);
        points = points == null ? List.of() : List.copyOf(points);
        pointSummaries = pointSummaries == null ? List.of() : List.copyOf(pointSummaries);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }
}
