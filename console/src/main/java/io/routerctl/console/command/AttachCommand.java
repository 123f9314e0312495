package io.routerctl.console.command;

import io.routerctl.console.agent.AgentJar;
import io.routerctl.console.agent.JvmAttach;
import io.routerctl.console.context.Arg;
import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.DurationConverter;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.render.Printable;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.time.Duration;

/**
 * {@code routerctl attach PID}: loads the routerctl agent into a running Netty service.
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
public final class AttachCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
            "Bring routerctl into a running JVM that was started without it.",
            "",
            "Loads the routerctl agent through the JDK's attach API (as jcmd does): it tracks every "
                    + "Netty channel (those open now are marked 'open before attach'), each HTTP/1.1 "
                    + "request or other inbound message, the application handlers it passes through, "
                    + "and the futures created while it is handled; then serves the attach socket, so "
                    + "list, dump-stuck, top and the other commands work on the process. Prints one "
                    + "line: what it found. Run it again to switch deep sites on or off.",
            "",
            "Deep sites (--sites) record the first application frame that created each future a "
                    + "request waits on, at the cost of a stack walk per future: for a while, not "
                    + "always on (see docs/performance.md).",
            "",
            "Nothing is written to the target's file system but the JVM's own attach trigger (made "
                    + "new in its /tmp, never through a link, and removed again), and, for a JVM in a "
                    + "container or of another user, a copy of the agent jar in its /tmp. A stopped JVM "
                    + "is refused; past --timeout the attach gives up, and the agent does nothing if "
                    + "the JVM gets to the request later."};

    private static final String[] EXAMPLES = {
            "  routerctl attach 4242",
            "  routerctl attach 4242 --name ticket-service --sites",
            "  routerctl detach 4242",
            "",
            "Exit codes: 0 attached (or already attached), 2 usage error, 3 cannot attach (no such "
                    + "process, another user's, not a JVM, stopped, attach or agents disabled, no Netty "
                    + "in it, no attach socket could be made, no answer within --timeout)."};

    static final int MAX_NAME = 64;

    private final Arg<Long> pid = positional(PositionalParamSpec.builder().index("0").required(true)
            .paramLabel("PID").type(long.class)
            .description("The JVM's process id."));

    private final Arg<String> name = option(OptionSpec.builder("--name").paramLabel("NAME").type(String.class)
            .description("The name list shows for the process (default: its main class or jar)."));

    private final Arg<Boolean> sites = option(OptionSpec.builder("--sites").type(boolean.class)
            .negatable(true)
            .description("Record where each waited-on future was created (a stack walk per future; default off)."));

    private final Arg<Duration> timeout = option(OptionSpec.builder("--timeout")
            .paramLabel("DURATION").type(Duration.class)
            .defaultValue(DEFAULT_TIMEOUT).converters(new DurationConverter())
            .description("How long to wait for the JVM (default: ${DEFAULT-VALUE})."));

    /** How long attach and detach wait for the JVM when no --timeout is given. */
    public static final String DEFAULT_TIMEOUT = "10s";

    public AttachCommand(ConsoleContext context) {
        super(context, "attach", DESCRIPTION, EXAMPLES);
    }

    @Override
    protected int execute() {
        if (name.get() != null && (name.get().isBlank() || name.get().length() > MAX_NAME || !name.get().matches("[A-Za-z0-9_.:/@-]+"))) {
            throw CommandException.usage("--name must be 1-" + MAX_NAME + " letters, digits or _.:/@-, got: "
                    + Printable.of(name.get()));
        }
        StringBuilder args = new StringBuilder("sites=").append(sites.on() ? "on" : "off");
        if (name.get() != null) {
            args.append(",name=").append(name.get());
        }
        if (timeout.get().isZero() || timeout.get().isNegative()) {
            throw CommandException.usage("--timeout must be more than 0");
        }
        long start = System.nanoTime();
        JvmAttach.check(pid.get());
        String status = JvmAttach.load(pid.get(), AgentJar.forTarget(pid.get()), args.toString(), timeout.get(), true);
        long ms = (System.nanoTime() - start) / 1_000_000;
        int colon = status.indexOf(':');
        String kind = colon < 0 ? status : status.substring(0, colon);
        String rest = colon < 0 ? "" : status.substring(colon + 1).strip();
        switch (kind) {
            case "attached" -> {
                // The agent's notes (e.g. the JIT's recompiling after a first class change) on lines of their own.
                String[] parts = rest.split("; note: ");
                out().println(Printable.of("attached to " + pid.get() + " in " + ms + " ms: " + parts[0]));
                for (int i = 1; i < parts.length; i++) {
                    out().println(Printable.of("note: " + parts[i]));
                }
                return ExitCode.OK;
            }
            case "already attached" -> {
                out().println(Printable.of("already attached to " + pid.get() + ": " + rest));
                return ExitCode.OK;
            }
            case "waiting" -> {
                out().println(Printable.of("attached to " + pid.get() + " in " + ms + " ms, " + rest));
                return ExitCode.OK;
            }
            case "no-netty" -> throw CommandException.cannotAttach("no Netty in " + pid.get() + ": " + rest);
            default -> throw CommandException.cannotAttach("the agent in " + pid.get() + " " + status);
        }
    }
}
