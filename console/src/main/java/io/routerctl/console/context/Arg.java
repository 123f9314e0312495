package io.routerctl.console.context;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * One option or positional parameter of a command, declared in code with picocli's programmatic
 * API, and the value picocli parsed into it.
 *
 * <pre>{@code
 * private final Arg<Integer> limit = Arg.option(spec, OptionSpec.builder("--limit")
 *         .paramLabel("N").type(int.class).defaultValue("100").description("List at most N tasks."));
 * ...
 * int n = limit.get();
 * }</pre>
 *
 * <p>Why not picocli's annotations: a command's model is built each time routerctl starts, and
 * from annotations that costs about 40 ms of a one-question command's 0.2 s (Java parses each
 * annotation into a proxy class of its own, which no class-data archive holds on Java 17, and
 * picocli scans every field and method by reflection); built in code it costs none of that.
 * docs/performance.md, "Start-up", has the measurement.
 *
 * <h2>Thread safety</h2>
 * Written by picocli while it parses, on the thread that runs the command; read it there.
 *
 * @param <T> the value's type: the option's type, boxed
 */
public final class Arg<T> {

    private final ArgSpec arg;

    private Arg(ArgSpec arg) {
        this.arg = arg;
    }

    /** Builds {@code option} and adds it to {@code command}, after the options added before it. */
    public static <T> Arg<T> option(CommandSpec command, OptionSpec.Builder option) {
        OptionSpec built = option.build();
        command.addOption(built);
        return new Arg<>(built);
    }

    /** A flag: an option without a value, off unless given. */
    public static Arg<Boolean> flag(CommandSpec command, String name, String description) {
        return option(command, OptionSpec.builder(name).type(boolean.class).description(description));
    }

    /** Builds {@code parameter} and adds it to {@code command}. */
    public static <T> Arg<T> positional(CommandSpec command, PositionalParamSpec.Builder parameter) {
        PositionalParamSpec built = parameter.build();
        command.addPositional(built);
        return new Arg<>(built);
    }

    /** The value given, else the default, else {@code null}. */
    public T get() {
        return arg.getValue();
    }

    /** For a flag: whether it was given (or its default is on). */
    public boolean on() {
        return Boolean.TRUE.equals(arg.getValue());
    }
}
