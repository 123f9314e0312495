package io.routerctl.console.command;

import io.routerctl.console.attach.AttachedTarget;
import io.routerctl.console.attach.TargetOptions;
import io.routerctl.console.context.Arg;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.play.ConsoleCommandExecutor;
import io.routerctl.playbooks.PlaybookClock;
import io.routerctl.playbooks.StockPlaybooks;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code routerctl play}: runs a playbook (a file, or a stock playbook by name) against one
 * target, writing an incident bundle. The language and the runner are in
 * {@code io.routerctl.playbooks}; this command chooses the target and runs the playbook's
 * commands through routerctl's own command set ({@link ConsoleCommandExecutor}).
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
public final class PlayCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
            "Run a playbook: a written incident procedure, executed the same way every time.",
            "",
            "A playbook is a file of routerctl commands, one per line, plus statements (expect, "
                    + "wait-until, repeat, save, echo, sleep; see docs/playbooks.md). Everything is "
                    + "parsed before anything runs. Each run writes an incident bundle: every command's "
                    + "JSON and report.md. Stock playbooks: " + "hung-requests, incident-bundle, "
                    + "lost-wakeups, blocked-loop."};

    private static final String[] EXAMPLES = {
            "  routerctl play hung-requests",
            "  routerctl play hung-requests --pid 4242 --var interval=2s --out incident-42",
            "  routerctl play my-checks.playbook --var older_than=1s",
            "  routerctl play incident-bundle --dry-run       the plan, nothing sent",
            "  routerctl play lost-wakeups --name tickets --json | jq .outcome",
            "",
            "Exit codes: 0 every expectation held, 1 one failed, 2 playbook error (not found,",
            "parse error, missing detector), 3 cannot attach."};

    private final Arg<String> playbook = positional(PositionalParamSpec.builder().index("0").required(true)
            .paramLabel("FILE|NAME").type(String.class)
            .description("A playbook file, or a stock playbook's name."));

    private final Arg<List<String>> vars = option(OptionSpec.builder("--var").paramLabel("NAME=VALUE").type(List.class)
            .auxiliaryTypes(String.class)
            .description("Set a playbook variable (repeatable)."));

    private final Arg<Path> out = option(OptionSpec.builder("--out").paramLabel("DIR").type(Path.class)
            .description("The incident bundle's directory (default: incident-<yyyyMMdd-HHmmss>, UTC)."));

    private final Arg<Boolean> dryRun = flag("--dry-run",
            "Print the expanded plan; attach to nothing, send nothing.");

    private final Arg<Boolean> json = flag("--json",
            "Print one JSON document (schema routerctl.play/1) on stdout; "
            + "the run's progress goes to stderr.");

    private final TargetOptions target = new TargetOptions(spec);

    public PlayCommand(ConsoleContext context) {
        super(context, "play", DESCRIPTION, EXAMPLES);
    }

    @Override
    protected int execute() throws Exception {
        target.validate(spec);
        Map<String, String> values;
        try {
            values = io.routerctl.playbooks.PlayCommand.parseVars(vars.get() == null ? List.of() : vars.get());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ConsoleCommandExecutor executor;
        if (dryRun.on()) {
            executor = new ConsoleCommandExecutor(context, null, null);
        } else {
            try (AttachedTarget attached = target.attach(spec, context)) {
                executor = new ConsoleCommandExecutor(context, attached.socket(), attached.info());
            }
        }
        return new io.routerctl.playbooks.PlayCommand(executor, PlaybookClock.system(), out(), err(), Path.of(""))
                .run(new io.routerctl.playbooks.PlayCommand.Request(playbook.get(), values, out.get(), dryRun.on(), json.on()));
    }

    /** The stock playbooks' names, for completion. */
    public static List<String> stockNames() {
        return StockPlaybooks.NAMES;
    }
}
