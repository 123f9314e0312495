package io.routerctl.console.command;

import io.routerctl.console.context.Arg;
import io.routerctl.console.context.ConsoleContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The common base of every subcommand: standard help and version options, the fixed help width
 * (so help text is the same everywhere and golden tests can check it), access to the output
 * streams picocli was given, and the {@link ConsoleContext}.
 *
 * <p>Subclasses implement {@link #execute()}; what it throws is turned into an exit code and a
 * one-line error by {@link io.routerctl.console.Routerctl}: a
 * {@link io.routerctl.console.context.CommandException} carries its own code, a picocli
 * {@code ParameterException} is a usage error (2), an attach failure is 3.
 *
 * <p>A command declares its options in code, in the order help lists them, as fields:
 * <pre>{@code
 * private final Arg<Boolean> json = flag("--json", "Print one JSON document.");
 * private final SourceOptions source = new SourceOptions(spec);
 * }</pre>
 * ({@link Arg} says why not with picocli's annotations.) {@link #spec()} adds {@code --help} and
 * {@code --version} after them.
 *
 * <h2>Thread safety</h2>
 * An instance runs one invocation at a time, on the caller's thread.
 */
public abstract class RouterctlCommand implements Callable<Integer> {

    /** Columns of every help text. Fixed, so help reads the same in any terminal and in the goldens. */
    public static final int HELP_WIDTH = 80;

    /** This command's picocli model; its options are added by the subclass's field initializers. */
    protected final CommandSpec spec;

    protected final ConsoleContext context;

    private boolean helpAdded;

    /**
     * @param name        the command's name, as typed
     * @param description help's description: the first line is the summary {@code routerctl --help} lists
     * @param examples    help's footer, under "Examples:"
     */
    protected RouterctlCommand(ConsoleContext context, String name, String[] description, String[] examples) {
        this.context = context;
        this.spec = CommandSpec.wrapWithoutInspection(this).name(name);
        describe(spec, description, examples);
        spec.usageMessage().footerHeading("%nExamples:%n");
    }

    /** This command's model for picocli: its own options, then {@code --help} and {@code --version}. */
    public final CommandSpec spec() {
        if (!helpAdded) {
            helpAdded = true;
            addHelpOptions(spec);
        }
        return spec;
    }

    /** Sets the help layout every routerctl command shares, with this description and footer. */
    public static void describe(CommandSpec spec, String[] description, String[] footer) {
        spec.usageMessage().width(HELP_WIDTH).sortOptions(false).showDefaultValues(false)
                .description(description).footer(footer);
    }

    /** Adds {@code -h, --help} and {@code -V, --version} (this build's, see {@link VersionProvider}). */
    public static void addHelpOptions(CommandSpec spec) {
        spec.versionProvider(new VersionProvider());
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
    }

    /** Declares an option of this command (see {@link Arg#option}). */
    protected final <T> Arg<T> option(OptionSpec.Builder option) {
        return Arg.option(spec, option);
    }

    /** Declares a flag of this command: an option without a value, off unless given. */
    protected final Arg<Boolean> flag(String name, String description) {
        return Arg.flag(spec, name, description);
    }

    /** Declares a positional parameter of this command. */
    protected final <T> Arg<T> positional(PositionalParamSpec.Builder parameter) {
        return Arg.positional(spec, parameter);
    }

    /** Runs the command; returns an {@link io.routerctl.console.context.ExitCode}. */
    protected abstract int execute() throws Exception;

    @Override
    public final Integer call() throws Exception {
        try {
            return execute();
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** Where results go (stdout, or what the front end gave picocli). */
    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /**
     * Prints a command's data: {@code document} as JSON when {@code json}, else {@code text}; and
     * hands the document to the context's {@link ConsoleContext#documents()} either way, so a
     * playbook gets text and JSON from one answer.
     */
    protected void emit(boolean json, java.util.function.Supplier<String> text, Object document) {
        context.documents().accept(document);
        // Text escapes every control character but the renderer's own line breaks: each field of a
        // target's is escaped where it is rendered, and this is the net behind that.
        out().print(json ? io.routerctl.console.json.JsonOutput.pretty(document)
                : io.routerctl.console.render.Printable.lines(text.get()));
    }

    /** Where progress and diagnostics go (stderr, or what the front end gave picocli). */
    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
