package io.routerctl.console.json;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.routerctl.probes.snapshot.LoopSnapshot;

import java.util.List;

/**
 * What {@code routerctl loops --json} prints: schema {@value #SCHEMA}, documented in
 * {@code docs/cli.md}. Each loop is the wire protocol's {@code LoopSnapshot}: {@code name},
 * {@code tasks}, {@code in_flight}, {@code stuck}, {@code registered}, {@code refused}, and
 * {@code health} ({@code lag_ms}, {@code busy_percent}, {@code blocked}, {@code blocked_for_ms},
 * {@code blocked_stack} innermost frame first, {@code episodes}) or {@code null} when unwatched.
 *
 * @param schema      always {@value #SCHEMA}
 * @param target      who was asked (for {@code --from}, the target of the snapshot)
 * @param source      {@code live} or the snapshot file read
 * @param thresholdMs the stuck threshold applied
 * @param loops       the loops, in the target's order
 *
 * <h2>Thread safety</h2>
 * Immutable records.
 */
@JsonPropertyOrder({"schema", "target", "source", "threshold_ms", "loops"})
public record LoopsDocument(String schema, DumpStuckDocument.Target target, String source, long thresholdMs,
                            List<LoopSnapshot> loops) {

    /** The schema name and version of this document. */
    public static final String SCHEMA = "routerctl.loops/1";
}
