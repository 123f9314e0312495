package io.routerctl.playbooks;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * What {@code routerctl play --json} prints: schema {@value #SCHEMA}, documented in
 * {@code docs/playbooks.md} and {@code docs/schemas/play.schema.json}.
 *
 * @param schema       always {@value #SCHEMA}
 * @param playbook     the playbook's name
 * @param outcome      {@code held}, {@code failed}, {@code unreachable}; {@code planned} for a dry run
 * @param exitCode     the exit code
 * @param bundle       the incident bundle's directory, or {@code null} for a dry run
 * @param message      why the run stopped early, or {@code null}
 * @param expectations every {@code expect} and {@code wait-until} evaluated, in order
 * @param plan         the expanded plan's lines for a dry run, else empty
 *
 * <h2>Thread safety</h2>
 * Immutable records; safe from any thread.
 */
@JsonPropertyOrder({"schema", "playbook", "outcome", "exit_code", "bundle", "message", "expectations", "plan"})
public record PlayDocument(String schema, String playbook, String outcome, int exitCode, String bundle, String message,
                           List<Expectation> expectations, List<String> plan) {

    /** The schema name and version of this document. */
    public static final String SCHEMA = "routerctl.play/1";

    /**
     * One evaluated expectation.
     *
     * @param line      its line in the playbook
     * @param statement the statement as written
     * @param held      whether it held
     * @param actual    the value it saw
     * @param note      why it failed, or {@code null}
     * @param atEpochMs when it was evaluated
     * @param document  the bundle file of the command it read, or {@code null}
     */
    @JsonPropertyOrder({"line", "statement", "held", "actual", "note", "at_epoch_ms", "document"})
    public record Expectation(int line, String statement, boolean held, String actual, String note, long atEpochMs,
                              String document) {
        static Expectation of(ExpectationResult r) {
            return new Expectation(r.line(), r.statement(), r.held(), r.actual(), r.note(),
                    r.at() == null ? 0 : r.at().toEpochMilli(), r.document());
        }
    }

    static PlayDocument of(String playbook, RunResult result) {
        return new PlayDocument(SCHEMA, playbook, result.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                result.exitCode(), result.bundle() == null ? null : result.bundle().toString(), result.message(),
                result.expectations().stream().map(Expectation::of).toList(), List.of());
    }

    static PlayDocument plan(String playbook, List<String> lines) {
        return new PlayDocument(SCHEMA, playbook, "planned", 0, null, null, List.of(), List.copyOf(lines));
    }
}
