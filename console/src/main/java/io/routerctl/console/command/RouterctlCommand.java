package io.routerctl.console.command;

import io.routerctl.console.context.ConsoleContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

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
 * <h2>Thread safety</h2>
 * An instance runs one invocation at a time, on the caller's thread.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        usageHelpWidth = RouterctlCommand.HELP_WIDTH, sortOptions = false, showDefaultValues = false)
public abstract class RouterctlCommand implements Callable<Integer> {

    /** Columns of every help text. Fixed, so help reads the same in any terminal and in the goldens. */
    public static final int HELP_WIDTH = 80;

    @Spec
    protected CommandSpec spec;

    protected final ConsoleContext context;

    protected RouterctlCommand(ConsoleContext context) {
        this.context = context;
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
