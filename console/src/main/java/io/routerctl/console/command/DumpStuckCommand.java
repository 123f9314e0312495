package io.routerctl.console.command;

import io.routerctl.console.context.Arg;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.DurationConverter;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.context.StuckOptions;
import io.routerctl.console.json.DumpStuckDocument;
import io.routerctl.console.render.DumpStuckText;
import io.routerctl.console.render.Printable;
import io.routerctl.console.source.LiveSource;
import io.routerctl.console.source.Source;
import io.routerctl.console.source.SourceOptions;
import io.routerctl.probes.attach.GcResult;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.time.Duration;
import java.util.List;

/**
 * {@code routerctl dump-stuck}: asks the target for its in-flight tasks that made no progress for
 * the threshold (the query runs inside the target) and prints them, grouped into sentences.
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
public final class DumpStuckCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
            "Show the tasks of a target that made no progress for a while.",
            "",
            "Lists the in-flight tasks that made no progress for at least --older-than: their "
                    + "socket addresses, age, last completed step and what they wait on; then one "
                    + "line per group of tasks stuck at the same place. The query runs inside the "
                    + "target, so only --limit tasks cross the wire.",
            "",
            "Each group line is a diagnosis: what the tasks wait on and where that wait is declared, "
                    + "the last step they passed, how many are proven lost wake-ups (their completer "
                    + "was dropped without completing: nobody can ever wake them), the wait's normal "
                    + "p99 and the oldest wait. A blocked event loop gets its own line, naming the "
                    + "method it is blocked in.",
            "",
            "Stuck means: no progress for --older-than, or (the adaptive rule, on unless "
                    + "--no-adaptive) a wait longer than max(1s, 10 x the p99 of that probe point's "
                    + "history). The RULE column says which rule applied when it was the adaptive one.",
            "",
            "Lost wake-ups are proven when the target's GC has noticed the dropped completer. "
                    + "--gc asks for that now; it is intrusive: it runs a full GC in the target, "
                    + "pausing the whole process for its duration.",
            "",
            "Without --pid or --socket it attaches to the only attachable process; "
                    + "with several, it lists them and asks you to choose."};

    private static final String[] EXAMPLES = {
            "  routerctl dump-stuck",
            "  routerctl dump-stuck --pid 4242 --older-than 2s --limit 20",
            "  routerctl dump-stuck --gc      # intrusive: a full GC in the target first",
            "  routerctl dump-stuck --no-adaptive --older-than 30s",
            "  routerctl dump-stuck --json | jq -r '.tasks[] | .remote'",
            "  routerctl dump-stuck --fail-if-stuck --older-than 30s || page-someone",
            "  routerctl dump-stuck --from snapshot-4242-20260101-120000.json --older-than 2s",
            "",
            "JSON schema: routerctl.dump-stuck/1 (docs/dump-stuck-schema.md).",
            "Exit codes: 0 ok, 1 something is stuck and --fail-if-stuck was given,",
            "2 usage error (also: several targets and none chosen, or a bad --from file),",
            "3 cannot attach."};

    private final Arg<Integer> limit = option(OptionSpec.builder("--limit").paramLabel("N").type(int.class)
            .defaultValue("100")
            .description("List at most N tasks, longest stuck first; counts and groups still cover "
                    + "all (1.." + TaskQuery.MAX_LIMIT + ", default: ${DEFAULT-VALUE})."));

    private final Arg<Boolean> json = flag("--json",
            "Print one JSON document (schema routerctl.dump-stuck/1).");

    private final Arg<Boolean> gc = flag("--gc",
            "Intrusive: runs a full GC in the target before the query, so "
            + "every dropped completer is proven a lost wake-up now; says what it found.");

    private final Arg<Boolean> failIfStuck = flag("--fail-if-stuck",
            "Exit 1 if any task is stuck (for scripts and health checks).");

    private final SourceOptions source = new SourceOptions(spec);

    private final StuckOptions stuck = new StuckOptions(spec);

    public DumpStuckCommand(ConsoleContext context) {
        super(context, "dump-stuck", DESCRIPTION, EXAMPLES);
    }

    @Override
    protected int execute() throws Exception {
        source.validate(spec);
        if (limit.get() < 1 || limit.get() > TaskQuery.MAX_LIMIT) {
            throw new ParameterException(spec.commandLine(),
                    "--limit must be between 1 and " + TaskQuery.MAX_LIMIT + ", got " + limit.get());
        }
        long thresholdMs = stuck.olderThanMs();
        if (gc.on() && source.from() != null) {
            throw new ParameterException(spec.commandLine(), "--gc needs a live target, not a snapshot (--from)");
        }
        // Only a live target can collect: --gc asks for one, never a snapshot (checked above).
        LiveSource live = gc.on() ? source.live(spec, context) : null;
        try (Source attached = live != null ? live : source.open(spec, context)) {
            GcResult gcResult = live == null ? null : live.collectLostWakeups();
            TaskReport report = attached.query(TaskQuery.stuck(thresholdMs, limit.get()).withAdaptive(stuck.adaptive()));
            List<LoopSnapshot> loops = attached.loops(thresholdMs, stuck.adaptive());
            emit(json.on(), () -> DumpStuckText.render(Printable.record(report), thresholdMs, limit.get(), Printable.records(loops), gcResult),
                    DumpStuckDocument.of(attached.target(), java.nio.file.Path.of(attached.socket()), thresholdMs,
                            limit.get(), report, loops, gcResult));
            return failIfStuck.on() && report.stuck() > 0 ? ExitCode.PROBLEM_FOUND : ExitCode.OK;
        }
    }
}
