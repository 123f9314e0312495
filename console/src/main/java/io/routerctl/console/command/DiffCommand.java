package io.routerctl.console.command;

import io.routerctl.console.attach.TargetOptions;
import io.routerctl.console.context.Arg;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.DurationConverter;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.context.StuckOptions;
import io.routerctl.console.json.DiffDocument;
import io.routerctl.console.json.DumpStuckDocument;
import io.routerctl.console.render.DiffText;
import io.routerctl.console.render.Printable;
import io.routerctl.console.source.SnapshotSource;
import io.routerctl.console.source.Source;
import io.routerctl.console.source.SourceOptions;
import io.routerctl.probes.query.SavedTasks;
import io.routerctl.probes.query.TaskDiff;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code routerctl diff A B}: which stuck tasks stayed stuck between two moments of one process.
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
public final class DiffCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
            "Compare two moments of one process: which stuck tasks stayed stuck.",
            "",
            "A and B are snapshot files (routerctl snapshot) or the word live (the target, now). "
                    + "Tasks are matched by id: persistent = stuck in both with no progress in between "
                    + "(the real hangs), new = stuck only in B, resolved = stuck in A, then gone or "
                    + "progressed in B (slow, not stuck). Persistent and new tasks are grouped with "
                    + "dump-stuck's sentences."};

    private static final String[] EXAMPLES = {
            "  routerctl snapshot -o a.json; sleep 10; routerctl diff a.json live",
            "  routerctl diff a.json b.json --older-than 2s",
            "  routerctl diff a.json live --waiting-on auth --step auth-requested",
            "  routerctl diff a.json live --pid 4242 --json | jq '.persistent[].remote'",
            "",
            "JSON schema: routerctl.diff/1 (docs/cli.md).",
            "Exit codes: 0 compared, 1 persistently stuck tasks and --fail-if-persistent,",
            "2 usage error (a bad file, two processes, A after B), 3 cannot attach."};

    /** The word that stands for the live target instead of a file. */
    public static final String LIVE = "live";

    private final Arg<String> a = positional(PositionalParamSpec.builder().index("0").required(true)
            .paramLabel("A").type(String.class)
            .description("The earlier moment: a snapshot file, or live."));

    private final Arg<String> b = positional(PositionalParamSpec.builder().index("1").required(true)
            .paramLabel("B").type(String.class)
            .description("The later moment: a snapshot file, or live."));

    private final Arg<Boolean> json = flag("--json",
            "Print one JSON document (schema " + DiffDocument.SCHEMA + ").");

    private final Arg<Boolean> failIfPersistent = flag("--fail-if-persistent",
            "Exit 1 if any task is persistently stuck.");

    private final Arg<String> step = option(OptionSpec.builder("--step").paramLabel("STEP").type(String.class)
            .description("Only tasks whose last completed step is STEP (e.g. auth-requested)."));

    private final Arg<String> waitingOn = option(OptionSpec.builder("--waiting-on")
            .paramLabel("POINT").type(String.class)
            .description("Only tasks waiting on POINT (e.g. auth)."));

    private final TargetOptions target = new TargetOptions(spec);

    private final StuckOptions stuck = new StuckOptions(spec);

    public DiffCommand(ConsoleContext context) {
        super(context, "diff", DESCRIPTION, EXAMPLES);
    }

    @Override
    protected int execute() throws Exception {
        target.validate(spec);
        if (LIVE.equals(a.get()) && LIVE.equals(b.get())) {
            throw new ParameterException(spec.commandLine(), "A and B cannot both be live; save A with routerctl snapshot");
        }
        if (!LIVE.equals(a.get()) && !LIVE.equals(b.get()) && target.chosen()) {
            throw new ParameterException(spec.commandLine(), "--pid and --socket apply only when A or B is live");
        }
        long thresholdMs = stuck.olderThanMs();
        try (Source first = open(a.get()); Source second = open(b.get())) {
            if (first.target().pid() != second.target().pid()) {
                throw new ParameterException(spec.commandLine(), "A is pid " + first.target().pid() + " and B is pid "
                        + second.target().pid() + ": diff compares one process at two moments");
            }
            SavedTasks tasksA = first.allTasks();
            SavedTasks tasksB = second.allTasks();
            if (tasksA.takenAtEpochMs() > tasksB.takenAtEpochMs()) {
                throw new ParameterException(spec.commandLine(), "A was taken after B; give the earlier moment first");
            }
            String onlyStep = step.get();
            String onlyWaitingOn = waitingOn.get();
            TaskDiff diff = TaskDiff.of(tasksA, tasksB, thresholdMs, stuck.adaptive(),
                    t -> (onlyStep == null || onlyStep.equals(t.lastStep()))
                            && (onlyWaitingOn == null || onlyWaitingOn.equals(t.waitingOn())));
            DiffDocument.Moment momentA = new DiffDocument.Moment(a.get(), tasksA.takenAtEpochMs(), tasksA.truncated());
            DiffDocument.Moment momentB = new DiffDocument.Moment(b.get(), tasksB.takenAtEpochMs(), tasksB.truncated());
            long elapsed = tasksB.takenAtEpochMs() - tasksA.takenAtEpochMs();
            emit(json.on(), () -> DiffText.render(name(first), name(second), elapsed, thresholdMs, Printable.record(diff)),
                    DiffDocument.of(DumpStuckDocument.Target.of(second.target(), Path.of(second.socket())),
                            momentA, momentB, thresholdMs, diff));
            return failIfPersistent.on() && !diff.persistent().isEmpty() ? ExitCode.PROBLEM_FOUND : ExitCode.OK;
        }
    }

    private static String name(Source side) {
        return Printable.of(side.live() ? "live " + side.describe() : side.describe());
    }

    private Source open(String side) {
        if (LIVE.equals(side)) {
            return SourceOptions.live(target, spec, context);
        }
        return SnapshotSource.open(Path.of(side));
    }
}
