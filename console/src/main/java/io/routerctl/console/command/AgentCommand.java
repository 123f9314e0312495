package io.routerctl.console.command;

import io.routerctl.console.agent.AgentJar;
import io.routerctl.console.context.Arg;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.ExitCode;

import java.nio.file.Path;

/**
 * {@code routerctl agent}: where the agent jar is, for {@code -javaagent}.
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
public final class AgentCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
            "Show the routerctl agent jar, to load it at start-up.",
            "",
            "java -javaagent:$(routerctl agent --path) -jar app.jar does what routerctl attach "
                    + "does, from the first channel on. Agent arguments follow a '=': "
                    + "name=NAME, sites=on."};

    private static final String[] EXAMPLES = {
            "  java -javaagent:$(routerctl agent --path) -jar app.jar",
            "  java -javaagent:$(routerctl agent --path)=name=tickets,sites=on -jar app.jar",
            "",
            "Exit codes: 0 ok, 2 usage error, 3 no agent jar (build it first)."};

    private final Arg<Boolean> pathOnly = flag("--path",
            "Print only the jar's absolute path.");

    public AgentCommand(ConsoleContext context) {
        super(context, "agent", DESCRIPTION, EXAMPLES);
    }

    @Override
    protected int execute() {
        Path jar = AgentJar.locate();
        if (pathOnly.on()) {
            out().println(jar);
        } else {
            out().println("agent jar: " + jar);
            out().println("at start-up: java -javaagent:" + jar + " ...");
            out().println("into a running JVM: routerctl attach PID");
        }
        return ExitCode.OK;
    }
}
