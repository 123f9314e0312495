package io.routerctl.console.attach;

import io.routerctl.console.context.Arg;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.DurationConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The target options every attaching command shares:
 * {@code --pid N | --socket PATH | --name NAME} and {@code --timeout DURATION}.
 *
 * <pre>{@code
 * private final TargetOptions target = new TargetOptions(spec);
 * ...
 * try (AttachedTarget t = target.attach(spec, context)) { ... }
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * Filled in by picocli on the parsing thread; read it on that thread.
 */
public final class TargetOptions {

    /** The attach timeout when none is given. */
    public static final String DEFAULT_TIMEOUT = "5s";

    private final Arg<Long> pid;
    private final Arg<Path> socket;
    private final Arg<String> name;
    private final Arg<Duration> timeout;

    /** Adds the target options to {@code command}, after its options so far. */
    public TargetOptions(CommandSpec command) {
        pid = Arg.option(command, OptionSpec.builder("--pid").paramLabel("PID").type(Long.class)
                .description("Attach to this process (see routerctl list). Not with --socket."));
        socket = Arg.option(command, OptionSpec.builder("--socket").paramLabel("PATH").type(Path.class)
                .description("Attach through this attach socket. Not with --pid."));
        name = Arg.option(command, OptionSpec.builder("--name").paramLabel("NAME").type(String.class)
                .description("Attach to the process whose hello gives this name (the NAME column of routerctl list). "
                        + "Not with --pid or --socket."));
        timeout = Arg.option(command, OptionSpec.builder("--timeout").paramLabel("DURATION").type(Duration.class)
                .defaultValue(DEFAULT_TIMEOUT).converters(new DurationConverter())
                .description("How long to wait for the target to answer (default: ${DEFAULT-VALUE})."));
    }

    /** The pid asked for, or {@code null}. */
    public Long pid() {
        return pid.get();
    }

    /** The socket asked for, or {@code null}. */
    public Path socket() {
        return socket.get();
    }

    /** The name asked for, or {@code null}. */
    public String name() {
        return name.get();
    }

    /** Whether the user chose a target: {@code --pid}, {@code --socket} or {@code --name}. */
    public boolean chosen() {
        return pid() != null || socket() != null || name() != null;
    }

    /** The attach timeout; never {@code null}. */
    public Duration timeout() {
        Duration t = timeout.get();
        return t == null ? Duration.ofSeconds(5) : t;
    }

    /** Rejects {@code --pid} together with {@code --socket} as a usage error. */
    public void validate(CommandSpec spec) {
        Long pid = pid();
        Path socket = socket();
        String name = name();
        Duration timeout = this.timeout.get();
        if ((pid != null ? 1 : 0) + (socket != null ? 1 : 0) + (name != null ? 1 : 0) > 1) {
            throw new ParameterException(spec.commandLine(),
                    "--pid, --socket and --name each choose the target; give one");
        }
        if (name != null && (name.isBlank() || name.length() > 256)) {
            throw new ParameterException(spec.commandLine(), "--name must be 1-256 characters");
        }
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new ParameterException(spec.commandLine(), "--timeout must be more than 0");
        }
        if (pid != null && pid <= 0) {
            throw new ParameterException(spec.commandLine(), "--pid must be a positive process id, got " + pid);
        }
    }

    /**
     * Validates against {@code spec}, then attaches as {@link TargetSelector#attach} (or, for
     * {@code --name}, {@link TargetSelector#attachByName}) describes; when no target was chosen and
     * {@code context} has a default socket, through that.
     */
    public AttachedTarget attach(CommandSpec spec, ConsoleContext context) {
        validate(spec);
        Long pid = pid();
        Path socket = socket();
        String name = name();
        TargetSelector selector = new TargetSelector(context.attachDirs(), timeout());
        if (name != null) {
            return selector.attachByName(name);
        }
        Path chosen = socket == null && pid == null ? context.defaultSocket() : socket;
        if (chosen == null) {
            AttachedTarget early = EarlyConnect.take(pid, selector.attachDirs(), timeout());
            if (early != null) {
                return early;
            }
        }
        return selector.attach(pid, chosen);
    }
}
