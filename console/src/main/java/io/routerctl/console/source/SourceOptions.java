package io.routerctl.console.source;

import io.routerctl.console.attach.AttachedTarget;
import io.routerctl.console.attach.TargetOptions;
import io.routerctl.console.context.Arg;
import io.routerctl.console.context.ConsoleContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

/**
 * The options of every read command: the target options
 * ({@code --pid | --socket | --name}, {@code --timeout}) or {@code --from FILE}, a snapshot to read instead.
 *
 * <pre>{@code
 * private final SourceOptions source = new SourceOptions(spec);
 * ...
 * try (Source s = source.open(spec, context)) { ... }
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * Filled in by picocli on the parsing thread; read it on that thread.
 */
public final class SourceOptions {

    private final Arg<Path> from;
    private final TargetOptions target;

    /** Adds {@code --from} and the target options to {@code command}, after its options so far. */
    public SourceOptions(CommandSpec command) {
        from = Arg.option(command, OptionSpec.builder("--from").paramLabel("FILE").type(Path.class)
                .description("Read this snapshot (routerctl snapshot) instead of a live target. Not with --pid, "
                        + "--socket or --name."));
        target = new TargetOptions(command);
    }

    /** The snapshot file asked for, or {@code null}. */
    public Path from() {
        return from.get();
    }

    /** The target options. */
    public TargetOptions target() {
        return target;
    }

    /** Rejects {@code --from} with {@code --pid}/{@code --socket}, and bad target options, as usage errors. */
    public void validate(CommandSpec spec) {
        if (from() != null && target.chosen()) {
            throw new ParameterException(spec.commandLine(),
                    "--from reads a snapshot instead of a target; it cannot be used with --pid, --socket or --name");
        }
        target.validate(spec);
    }

    /**
     * Opens the source: the snapshot {@code --from} names, else the target the target options (or
     * the context's default socket) choose. A live connection is handed to
     * {@link ConsoleContext#connections()} so a front end can cancel it.
     */
    public Source open(CommandSpec spec, ConsoleContext context) {
        validate(spec);
        if (from() != null) {
            return SnapshotSource.open(from());
        }
        return live(spec, context);
    }

    /** Attaches as the target options say, ignoring {@code --from}. */
    public LiveSource live(CommandSpec spec, ConsoleContext context) {
        return live(target, spec, context);
    }

    /** Attaches as {@code target} says; the connection is handed to {@link ConsoleContext#connections()}. */
    public static LiveSource live(TargetOptions target, CommandSpec spec, ConsoleContext context) {
        AttachedTarget attached = target.attach(spec, context);
        context.connections().accept(attached);
        return new LiveSource(attached);
    }
}
