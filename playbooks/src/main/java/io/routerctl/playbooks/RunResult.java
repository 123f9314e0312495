package io.routerctl.playbooks;

import java.nio.file.Path;
import java.util.List;

/**
 * What a playbook run produced.
 *
 * <h2>Thread safety</h2>
 * Immutable.
 *
 * @param outcome      how it ended; {@link PlayOutcome#exitCode()} is the exit code
 * @param expectations every expectation's result, in the order they were decided
 * @param bundle       the incident bundle's directory, or {@code null} when none was written (dry run)
 * @param message      why the run stopped early (playbook error, unreachable target), or {@code null}
 */
public record RunResult(PlayOutcome outcome, List<ExpectationResult> expectations, Path bundle, String message) {
    public RunResult {
        expectations = List.copyOf(expectations);
    }

    /** The process exit code. */
    public int exitCode() {
        return outcome.exitCode();
    }
}
