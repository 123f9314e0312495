package io.routerctl.console.attach;

import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.DurationConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The target options every attaching command shares, as a picocli mixin:
 * {@code --pid N | --socket PATH | --name NAME} and {@code --timeout DURATION}.
 *
 * <pre>{@code
 * @Mixin TargetOptions target;
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

    @Option(names = "--pid", paramLabel = "PID",
            description = "Attach to this process (see routerctl list). Not with --socket.")
    Long pid;

    @Option(names = "--socket", paramLabel = "PATH",
            description = "Attach through this attach socket. Not with --pid.")
    Path socket;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Attach to the process whose hello gives this name (the NAME column of routerctl list). "
                    + "Not with --pid or --socket.")
    String name;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = DEFAULT_TIMEOUT,
            converter = DurationConverter.class,
            description = "How long to wait for the target to answer (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** The pid asked for, or {@code null}. */
    public Long pid() {
        return pid;
    }

    /** The socket asked for, or {@code null}. */
    public Path socket() {
        return socket;
    }

    /** The name asked for, or {@code null}. */
    public String name() {
        return name;
    }

    /** Whether the user chose a target: {@code --pid}, {@code --socket} or {@code --name}. */
    public boolean chosen() {
        return pid != null || socket != null || name != null;
    }

    /** The attach timeout; never {@code null}. */
    public Duration timeout() {
        return timeout == null ? Duration.ofSeconds(5) : timeout;
    }

    /** Rejects {@code --pid} together with {@code --socket} as a usage error. */
    public void validate(CommandSpec spec) {
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
