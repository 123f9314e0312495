package io.routerctl.console.command;

import io.routerctl.console.agent.AgentJar;
import io.routerctl.console.agent.HotSpotAttach;
import io.routerctl.console.agent.JvmAttach;
import io.routerctl.console.attach.AttachedTarget;
import io.routerctl.console.attach.TargetSelector;
import io.routerctl.console.context.Arg;
import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.DurationConverter;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.render.Printable;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.TargetErrorException;
import io.routerctl.probes.wire.ErrorCode;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.util.Properties;

/**
 * {@code routerctl detach PID}: takes the routerctl agent out of a JVM it was attached to, through
 * the agent's own attach socket (nothing is loaded into the JVM for it).
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
public final class DetachCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
            "Take routerctl out of a JVM it was attached to.",
            "",
            "Asks the agent through its attach socket: the instrumented classes get their original "
                    + "code back, every tracker leaves its pipeline (their tasks end), every thread "
                    + "routerctl started in the JVM ends, and the attach socket closes. The service "
                    + "keeps serving; connections are not touched. Works for an agent loaded at "
                    + "start-up (-javaagent) too. A detach that did not reach the JVM within "
                    + "--timeout is not applied later."};

    private static final String[] EXAMPLES = {
            "  routerctl detach 4242",
            "  routerctl detach --name ticket-service",
            "",
            "Exit codes: 0 detached (or was not attached), 2 usage error, 3 cannot attach to the JVM "
                    + "(stopped, no answer within --timeout, routerctl built into the service)."};

    private final Arg<Long> pid = positional(PositionalParamSpec.builder().index("0")
            .paramLabel("PID").arity("0..1").type(Long.class)
            .description("The JVM's process id."));

    private final Arg<String> name = option(OptionSpec.builder("--name").paramLabel("NAME").type(String.class)
            .description("The JVM whose hello gives this name (routerctl list), instead of PID."));

    private final Arg<Duration> timeout = option(OptionSpec.builder("--timeout")
            .paramLabel("DURATION").type(Duration.class)
            .defaultValue(AttachCommand.DEFAULT_TIMEOUT).converters(new DurationConverter())
            .description("How long to wait for the JVM (default: ${DEFAULT-VALUE})."));

    public DetachCommand(ConsoleContext context) {
        super(context, "detach", DESCRIPTION, EXAMPLES);
    }

    @Override
    protected int execute() {
        if ((pid.get() == null) == (name.get() == null)) {
            throw CommandException.usage("give the JVM's PID or --name NAME, not both");
        }
        if (timeout.get().isZero() || timeout.get().isNegative()) {
            throw CommandException.usage("--timeout must be more than 0");
        }
        TargetSelector selector = new TargetSelector(context.attachDirs(), timeout.get());
        long pid = this.pid.get() != null ? this.pid.get() : selector.findByName(name.get()).pid();
        JvmAttach.check(pid);
        long deadlineMs = System.currentTimeMillis() + timeout.get().toMillis();
        AttachedTarget target;
        try {
            target = selector.attach(pid, null);
        } catch (CommandException noSocket) {
            return withoutSocket(pid);
        }
        try (target) {
            String line = target.client().detach(deadlineMs);
            out().println(Printable.of(pid + " " + line));
            return ExitCode.OK;
        } catch (TargetErrorException e) {
            if (ErrorCode.UNSUPPORTED.wireName().equals(e.code())) {
                throw CommandException.cannotAttach("routerctl is built into " + pid
                        + " (its own code starts it), not attached as an agent: there is nothing to detach");
            }
            throw CommandException.cannotAttach("the agent in " + pid + " did not detach: " + e.getMessage());
        } catch (AttachException e) {
            throw CommandException.cannotAttach("the agent in " + pid + " did not answer the detach within "
                    + timeout.get().toMillis() + "ms (" + e.getMessage() + "); it will not apply it later");
        }
    }

    /**
     * No attach socket: routerctl is not in the JVM, or its socket was removed under it. The JVM's
     * own properties (read without loading anything) tell which; only in the second case is the
     * agent loaded, to stop.
     */
    private int withoutSocket(long pid) {
        long deadline = HotSpotAttach.deadline(timeout.get());
        Properties p = new Properties();
        try {
            HotSpotAttach.Reply r = HotSpotAttach.execute(pid, deadline, "properties");
            if (r.status() == 0) {
                p.load(new StringReader(r.output()));
            }
        } catch (IOException e) {
            throw CommandException.cannotAttach("cannot reach the JVM " + pid + ": " + e.getMessage());
        }
        if (!"attached".equals(p.getProperty("routerctl.agent.state"))) {
            out().println(pid + " detached: routerctl was not attached");
            return ExitCode.OK;
        }
        String status = JvmAttach.load(pid, AgentJar.forTarget(pid), "stop", timeout.get());
        if (!status.startsWith("detached:")) {
            throw CommandException.cannotAttach("the agent in " + pid + " " + status);
        }
        out().println(Printable.of(pid + " " + status));
        return ExitCode.OK;
    }
}
