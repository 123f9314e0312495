package io.routerctl.console.command;

import io.routerctl.console.agent.AgentJar;
import io.routerctl.console.agent.JvmAttach;
import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.render.Printable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code routerctl detach PID}: takes the routerctl agent out of a JVM it was attached to.
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
@Command(name = "detach",
        description = {
                "Take routerctl out of a JVM it was attached to.",
                "",
                "The instrumented classes get their original code back, every tracker leaves its "
                        + "pipeline (their tasks end) and the attach socket closes. The service keeps "
                        + "serving; connections are not touched."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  routerctl detach 4242",
                "  routerctl detach --name ticket-service",
                "",
                "Exit codes: 0 detached (or was not attached), 2 usage error, 3 cannot attach to the JVM."})
public final class DetachCommand extends RouterctlCommand {

    @Parameters(index = "0", paramLabel = "PID", arity = "0..1", description = "The JVM's process id.")
    Long pid;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The JVM whose hello gives this name (routerctl list), instead of PID.")
    String name;

    public DetachCommand(ConsoleContext context) {
        super(context);
    }

    @Override
    protected int execute() {
        if ((pid == null) == (name == null)) {
            throw CommandException.usage("give the JVM's PID or --name NAME, not both");
        }
        long pid = this.pid != null ? this.pid : pidNamed(name);
        JvmAttach.check(pid);
        String status = JvmAttach.load(pid, AgentJar.forTarget(pid), "stop");
        if (!status.startsWith("detached:")) {
            throw CommandException.cannotAttach("the agent in " + pid + " " + status);
        }
        out().println(Printable.of(pid + " " + status));
        return ExitCode.OK;
    }

    /** The pid of the one live target named {@code name}: exit 3 if none, 2 if several. */
    private long pidNamed(String name) {
        return new io.routerctl.console.attach.TargetSelector(context.attachDirs(), java.time.Duration.ofSeconds(5))
                .findByName(name).pid();
    }
}
