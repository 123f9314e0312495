package io.routerctl.console;

import io.routerctl.console.command.DemoCommand;
import io.routerctl.console.command.DiffCommand;
import io.routerctl.console.command.DumpStuckCommand;
import io.routerctl.console.command.ListCommand;
import io.routerctl.console.command.LoopsCommand;
import io.routerctl.console.command.PlayCommand;
import io.routerctl.console.command.ShellCommand;
import io.routerctl.console.command.SnapshotCommand;
import io.routerctl.console.command.TaskCommand;
import io.routerctl.console.command.RouterctlCommand;
import io.routerctl.console.command.VersionProvider;
import io.routerctl.console.top.TopCommand;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.TargetErrorException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code routerctl}: the jar's main, and the one place the command set is assembled, so the
 * command line, the shell and playbooks run the same commands with the same exit codes.
 *
 * <pre>{@code
 * int exit = Routerctl.run(ConsoleContext.system(), out, err, "dump-stuck", "--json");
 * }</pre>
 *
 * <h2>Errors</h2>
 * Every failure prints one line, {@code routerctl <command>: <what is wrong>}, on the error stream
 * and maps to an {@link ExitCode}: usage errors (picocli's parse errors and
 * {@code ParameterException}s thrown by commands) to 2, {@link AttachException} and
 * {@link TargetErrorException} to 3, a {@link CommandException} to its own code, anything else to
 * {@value ExitCode#INTERNAL_ERROR} (with the stack trace if {@code ROUTERCTL_DEBUG} is set).
 *
 * <h2>Thread safety</h2>
 * {@link #commandLine} builds a new command tree per call; a tree runs one command at a time.
 */
@Command(name = "routerctl", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        usageHelpWidth = RouterctlCommand.HELP_WIDTH, sortOptions = false,
        description = {
                "Find the in-flight work an async JVM service will never finish: which connections "
                        + "are stuck, their socket addresses, how long they have waited, the last "
                        + "step each completed and what it waits on. Live, over a local socket, "
                        + "scriptable."},
        commandListHeading = "%nCommands:%n",
        footerHeading = "%nExamples:%n",
        footer = {
                "  routerctl demo                a sample router that loses requests",
                "  routerctl list                what routerctl can attach to",
                "  routerctl dump-stuck          stuck tasks of the only attachable process",
                "  routerctl dump-stuck --pid 4242 --older-than 2s --json",
                "  routerctl task 17             one task: steps, wait, warnings, relatives",
                "  routerctl snapshot -o a.json; routerctl diff a.json live",
                "  routerctl play hung-requests  a written incident procedure, run",
                "  routerctl shell               the same commands at a prompt, with completion",
                "  routerctl help dump-stuck     one command's options and examples",
                "",
                "Exit codes: 0 ok, 1 the check found a problem (e.g. --fail-if-stuck),",
                "2 usage error, 3 cannot attach.",
                "Attach sockets live in -Drouterctl.attach.dir, else $ROUTERCTL_ATTACH_DIR,",
                "else /tmp/routerctl-<user>."})
public final class Routerctl implements Callable<Integer> {

    /** {@code ROUTERCTL_DEBUG}: when set (to anything), internal errors print their stack trace. */
    public static final String DEBUG_ENV = "ROUTERCTL_DEBUG";

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
        System.exit(run(ConsoleContext.system(), out, err, args));
    }

    /** Runs one routerctl command line; returns its exit code. Output goes to {@code out}, errors to {@code err}. */
    public static int run(ConsoleContext context, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(context);
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The subcommands, in the order help lists them. Add new commands here (and see
     * {@code io.routerctl.console.command}'s package doc for the rest of the checklist).
     */
    public static List<Object> commands(ConsoleContext context) {
        return List.of(
                new ListCommand(context),
                new DumpStuckCommand(context),
                new TopCommand(context),
                new TaskCommand(context),
                new LoopsCommand(context),
                new SnapshotCommand(context),
                new DiffCommand(context),
                new PlayCommand(context),
                new ShellCommand(context),
                new DemoCommand(context));
    }

    /** The full command tree with routerctl's error handling, ready to {@code execute}. */
    public static CommandLine commandLine(ConsoleContext context) {
        CommandLine cl = new CommandLine(new Routerctl());
        for (Object command : commands(context)) {
            cl.addSubcommand(command);
        }
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.setParameterExceptionHandler(Routerctl::handleUsageError);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> handleFailure(e, commandLine));
        return cl;
    }

    /** {@code routerctl} alone: the usage, on the error stream, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    private static int handleUsageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String name = cl.getCommandSpec().qualifiedName(" ");
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && cl.getParent() == null && cl.getCommandSpec() != null
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        cl.getErr().println(name + ": " + tidy(message) + " (see " + name + " --help)");
        cl.getErr().flush();
        return ExitCode.USAGE;
    }

    private static int handleFailure(Exception e, CommandLine cl) {
        String name = cl.getCommandSpec().qualifiedName(" ");
        PrintWriter err = cl.getErr();
        int code;
        if (e instanceof CommandException ce) {
            if (ce.detail() != null) {
                err.print(ce.detail());
            }
            err.println(name + ": " + ce.getMessage());
            code = ce.exitCode();
        } else if (e instanceof AttachException) {
            err.println(name + ": cannot attach: " + e.getMessage());
            code = ExitCode.CANNOT_ATTACH;
        } else if (e instanceof TargetErrorException te) {
            err.println(name + ": the target answered with an error (" + te.code() + "): " + te.getMessage());
            code = ExitCode.CANNOT_ATTACH;
        } else {
            err.println(name + ": internal error: " + e + (System.getenv(DEBUG_ENV) == null
                    ? " (set " + DEBUG_ENV + "=1 for the stack trace)" : ""));
            if (System.getenv(DEBUG_ENV) != null) {
                e.printStackTrace(err);
            }
            code = ExitCode.INTERNAL_ERROR;
        }
        err.flush();
        return code;
    }

    /** Picocli's messages, made to read as the tail of one sentence. */
    static String tidy(String message) {
        String m = message == null ? "invalid command line" : message.strip();
        m = m.replace("Unknown option: ", "unknown option ").replace("Unknown options: ", "unknown options ");
        m = m.replaceAll("Unmatched arguments? from index \\d+: ", "unexpected arguments ")
                .replaceAll("Unmatched argument at index \\d+: ", "unexpected argument ");
        while (m.endsWith(".")) {
            m = m.substring(0, m.length() - 1);
        }
        if (m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1))) {
            m = m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
        }
        return m.replace('\n', ' ');
    }
}
