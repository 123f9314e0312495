package io.routerctl.console.command;

import io.routerctl.console.context.Arg;
import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.DurationConverter;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.context.StuckOptions;
import io.routerctl.console.json.DumpStuckDocument;
import io.routerctl.console.json.TaskDocument;
import io.routerctl.console.render.Printable;
import io.routerctl.console.render.TaskText;
import io.routerctl.console.source.Source;
import io.routerctl.console.source.SourceOptions;
import io.routerctl.probes.snapshot.TaskFamily;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code routerctl task ID}: one task with its relatives, step timeline, wait and warnings.
 *
 * <h2>Exit codes</h2>
 * 0 shown; 1 no such task (it finished, or never existed: the check "is it there" failed);
 * 2 an id that is not a number, or a bad {@code --from} file; 3 cannot attach.
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
public final class TaskCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
            "Show one task: where it is, what it waits on, its steps, its relatives.",
            "",
            "Prints the task's addresses, loop, state and age; what it waits on and since when; "
                    + "each warning with what it means; every recorded step with the time since the "
                    + "start and since the previous step; its parent (a request's connection), "
                    + "siblings (other requests on that connection) and children."};

    private static final String[] EXAMPLES = {
            "  routerctl task 17",
            "  routerctl task 17 --pid 4242 --json",
            "  routerctl task 17 --from snapshot-4242-20260101-120000.json",
            "  routerctl dump-stuck --json | jq '.tasks[0].id'   # an id to look at",
            "",
            "JSON schema: routerctl.task/1 (docs/cli.md).",
            "Exit codes: 0 shown, 1 no such task (finished, or never existed),",
            "2 usage error (an id that is not a number, a bad --from file), 3 cannot attach."};

    private final Arg<String> id = positional(PositionalParamSpec.builder().index("0").required(true)
            .paramLabel("ID").type(String.class)
            .description("The task's id (the ID column of dump-stuck)."));

    private final Arg<Boolean> json = flag("--json",
            "Print one JSON document (schema " + TaskDocument.SCHEMA + ").");

    private final SourceOptions source = new SourceOptions(spec);

    private final StuckOptions stuck = new StuckOptions(spec);

    public TaskCommand(ConsoleContext context) {
        super(context, "task", DESCRIPTION, EXAMPLES);
    }

    @Override
    protected int execute() throws Exception {
        source.validate(spec);
        long taskId;
        try {
            taskId = Long.parseLong(id.get());
            if (taskId <= 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "a task id is a positive number, got '" + id.get() + "'");
        }
        long thresholdMs = stuck.olderThanMs();
        try (Source from = source.open(spec, context)) {
            TaskFamily family = from.task(taskId, thresholdMs, stuck.adaptive());
            if (family == null) {
                throw new CommandException(ExitCode.PROBLEM_FOUND, "no " + (from.live() ? "live " : "") + "task "
                        + taskId + " in " + from.describe() + " (it finished, or never existed)", null);
            }
            emit(json.on(), () -> TaskText.render(Printable.record(family), thresholdMs),
                    TaskDocument.of(DumpStuckDocument.Target.of(from.target(), Path.of(from.socket())),
                            from.live() ? "live" : String.valueOf(source.from()), thresholdMs, family));
            return ExitCode.OK;
        }
    }
}
