package io.routerctl.console.command;

import io.routerctl.console.ConsoleContext;
import io.routerctl.console.ExitCode;
import io.routerctl.console.json.DumpStuckDocument;
import io.routerctl.console.json.JsonOutput;
import io.routerctl.console.render.DumpStuckText;
import io.routerctl.console.attach.AttachedTarget;
import io.routerctl.console.attach.TargetOptions;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.time.Duration;

/**
 * {@code routerctl dump-stuck}: asks the target for its in-flight tasks that made no progress for
 * the threshold (the query runs inside the target) and prints them, grouped into sentences.
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
@Command(name = "dump-stuck",
        description = {
                "Show the tasks of a target that made no progress for a while.",
                "",
                "Lists the in-flight tasks that made no progress for at least --older-than: their "
                        + "socket addresses, age, last completed step and what they wait on; then one "
                        + "line per group of tasks stuck at the same place. The query runs inside the "
                        + "target, so only --limit tasks cross the wire.",
                "",
                "Without --pid or --socket it attaches to the only attachable process; "
                        + "with several, it lists them and asks you to choose."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  routerctl dump-stuck",
                "  routerctl dump-stuck --pid 4242 --older-than 2s --limit 20",
                "  routerctl dump-stuck --json | jq -r '.tasks[] | .remote'",
                "  routerctl dump-stuck --fail-if-stuck --older-than 30s || page-someone",
                "",
                "JSON schema: routerctl.dump-stuck/1 (docs/dump-stuck-schema.md).",
                "Exit codes: 0 ok, 1 something is stuck and --fail-if-stuck was given,",
                "2 usage error (also: several targets and none chosen), 3 cannot attach."})
public final class DumpStuckCommand extends RouterctlCommand {

    @Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Stuck means no progress for at least this long, e.g. 500ms, 5s, 1m "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration olderThan;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "List at most N tasks, longest stuck first; counts and groups still cover "
                    + "all (1.." + TaskQuery.MAX_LIMIT + ", default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print one JSON document (schema routerctl.dump-stuck/1).")
    boolean json;

    @Option(names = "--fail-if-stuck", description = "Exit 1 if any task is stuck (for scripts and health checks).")
    boolean failIfStuck;

    @Mixin
    TargetOptions target;

    public DumpStuckCommand(ConsoleContext context) {
        super(context);
    }

    @Override
    protected int execute() throws Exception {
        target.validate(spec);
        if (limit < 1 || limit > TaskQuery.MAX_LIMIT) {
            throw new ParameterException(spec.commandLine(),
                    "--limit must be between 1 and " + TaskQuery.MAX_LIMIT + ", got " + limit);
        }
        long thresholdMs = olderThan.toMillis();
        try (AttachedTarget attached = target.attach(spec, context)) {
            TaskReport report = attached.client().query(TaskQuery.stuck(thresholdMs, limit));
            if (json) {
                out().print(JsonOutput.pretty(
                        DumpStuckDocument.of(attached.info(), attached.socket(), thresholdMs, limit, report)));
            } else {
                out().print(DumpStuckText.render(report, thresholdMs, limit));
            }
            return failIfStuck && report.stuck() > 0 ? ExitCode.PROBLEM_FOUND : ExitCode.OK;
        }
    }
}
