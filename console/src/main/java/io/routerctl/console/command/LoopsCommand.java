package io.routerctl.console.command;

import io.routerctl.console.context.Arg;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.DurationConverter;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.context.StuckOptions;
import io.routerctl.console.json.DumpStuckDocument;
import io.routerctl.console.json.LoopsDocument;
import io.routerctl.console.render.LoopsText;
import io.routerctl.console.render.Printable;
import io.routerctl.console.source.Source;
import io.routerctl.console.source.SourceOptions;
import io.routerctl.probes.snapshot.LoopSnapshot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code routerctl loops}: per event loop, its tasks and their health.
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
public final class LoopsCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
            "Show each event loop: tasks, in flight, stuck, and its health.",
            "",
            "Per loop: live tasks, in flight, stuck, registered and refused since start; and, when "
                    + "the target watches its loops, the heartbeat lag, how busy the thread is, whether it "
                    + "is blocked and for how long, the blocked episodes, and the stack captured in the "
                    + "current (or last) blocked episode, innermost frame first."};

    private static final String[] EXAMPLES = {
            "  routerctl loops",
            "  routerctl loops --pid 4242 --older-than 1s",
            "  routerctl loops --json | jq '.loops[] | select(.health.blocked)'",
            "  routerctl loops --from snapshot-4242-20260101-120000.json",
            "",
            "JSON schema: routerctl.loops/1 (docs/cli.md).",
            "Exit codes: 0 ok, 2 usage error (or a bad --from file), 3 cannot attach."};

    private final Arg<Boolean> json = flag("--json",
            "Print one JSON document (schema " + LoopsDocument.SCHEMA + ").");

    private final SourceOptions source = new SourceOptions(spec);

    /**
     * How routerctl is in the target and whether it caught errors of its own there (an agent's
     * hooks count every failure they swallowed): a line each, only when the target says.
     */
    static String footer(io.routerctl.probes.snapshot.TargetInfo target) {
        StringBuilder b = new StringBuilder();
        if (target.integration() != null) {
            b.append("\nrouterctl in this process: ").append(Printable.of(target.integration())).append('\n');
        }
        if (target.internalErrors() > 0) {
            b.append(b.length() == 0 ? "\n" : "").append("routerctl caught ").append(target.internalErrors())
                    .append(" errors of its own here (counted and survived; the service went on)\n");
        }
        return b.toString();
    }

    private final StuckOptions stuck = new StuckOptions(spec);

    public LoopsCommand(ConsoleContext context) {
        super(context, "loops", DESCRIPTION, EXAMPLES);
    }

    @Override
    protected int execute() throws Exception {
        source.validate(spec);
        long thresholdMs = stuck.olderThanMs();
        try (Source from = source.open(spec, context)) {
            List<LoopSnapshot> loops = from.loops(thresholdMs, stuck.adaptive());
            emit(json.on(), () -> LoopsText.render(Printable.records(loops), thresholdMs) + footer(from.target()),
                    new LoopsDocument(LoopsDocument.SCHEMA,
                            DumpStuckDocument.Target.of(from.target(), Path.of(from.socket())),
                            from.live() ? "live" : String.valueOf(source.from()), thresholdMs, loops));
            return ExitCode.OK;
        }
    }
}
