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
 * {@code --pid N | --socket PATH} and {@code --timeout DURATION}.
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

    /** The attach timeout; never {@code null}. */
    public Duration timeout() {
        return timeout == null ? Duration.ofSeconds(5) : timeout;
    }

    /** Rejects {@code --pid} together with {@code --socket} as a usage error. */
    public void validate(CommandSpec spec) {
        if (pid != null && socket != null) {
            throw new ParameterException(spec.commandLine(), "--pid and --socket cannot be used together; give one");
        }
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new ParameterException(spec.commandLine(), "--timeout must be more than 0");
        }
        if (pid != null && pid <= 0) {
            throw new ParameterException(spec.commandLine(), "--pid must be a positive process id, got " + pid);
        }
    }

    /**
     * Validates against {@code spec}, then attaches as {@link TargetSelector#attach} describes; when
     * neither option was given and {@code context} has a default socket, through that.
     */
    public AttachedTarget attach(CommandSpec spec, ConsoleContext context) {
        validate(spec);
        Path chosen = socket == null && pid == null ? context.defaultSocket() : socket;
        return new TargetSelector(context.attachDirs(), timeout()).attach(pid, chosen);
    }
}
