package io.routerctl.console.command;

import io.routerctl.console.attach.EarlyConnect;
import io.routerctl.console.attach.TargetOptions;
import io.routerctl.console.attach.TargetSelector;
import io.routerctl.console.attach.TargetStatus;
import io.routerctl.console.attach.TargetTable;
import io.routerctl.console.context.Arg;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.DurationConverter;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.json.JsonOutput;
import io.routerctl.console.json.ListDocument;
import io.routerctl.console.render.Printable;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code routerctl list}: the attachable processes, each asked for its hello.
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
public final class ListCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
            "List the processes routerctl can attach to.",
            "",
            "Shows each one's pid, name, uptime and attach socket, from its hello. A process "
                    + "that serves as many consoles as it will is shown as (busy), one whose socket, "
                    + "user or pid is not what it should be as (not trusted), one that does not answer "
                    + "in time as (not answering); none of these is an error. A directory another user "
                    + "could plant sockets in is: it is refused, with the fix."};

    private static final String[] EXAMPLES = {
            "  routerctl list",
            "  routerctl list --json | jq '.targets[] | select(.answering) | .pid'",
            "",
            "Exit codes: 0 ok (also when there is nothing to list), 2 usage error, "
                    + "3 an attach directory must not be trusted."};

    private final Arg<Boolean> json = flag("--json",
            "Print one JSON document (schema routerctl.list/1).");

    private final Arg<Duration> timeout = option(OptionSpec.builder("--timeout")
            .paramLabel("DURATION").type(Duration.class)
            .defaultValue(TargetOptions.DEFAULT_TIMEOUT).converters(new DurationConverter())
            .description("How long to wait for each target's hello (default: ${DEFAULT-VALUE})."));

    public ListCommand(ConsoleContext context) {
        super(context, "list", DESCRIPTION, EXAMPLES);
    }

    @Override
    protected int execute() {
        if (timeout.get().isZero()) {
            throw new ParameterException(spec.commandLine(), "--timeout must be more than 0");
        }
        List<Path> dirs = context.attachDirs();
        List<TargetStatus> early = EarlyConnect.survey(dirs, timeout.get());
        List<TargetStatus> targets = early != null ? early : new TargetSelector(dirs, timeout.get()).survey();
        if (json.on()) {
            out().print(JsonOutput.pretty(ListDocument.of(dirs, targets)));
        } else if (targets.isEmpty()) {
            out().println("No attachable processes in " + Printable.of(String.join(" or ",
                    dirs.stream().map(Path::toString).toList())) + ".");
        } else {
            out().print(TargetTable.of(targets).render());
        }
        return ExitCode.OK;
    }
}
