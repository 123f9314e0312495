package io.routerctl.console;

import io.routerctl.console.render.Printable;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.context.UsageProblems;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.CommandRunner;
import io.routerctl.console.command.AgentCommand;
import io.routerctl.console.command.AttachCommand;
import io.routerctl.console.command.DetachCommand;
import io.routerctl.console.command.CompletionCommand;
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
import io.routerctl.console.command.TopCommand;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.TargetErrorException;
import io.routerctl.console.attach.EarlyConnect;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.List;
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
public final class Routerctl implements Callable<Integer> {

    /** {@code ROUTERCTL_DEBUG}: when set (to anything), internal errors print their stack trace. */
    public static final String DEBUG_ENV = "ROUTERCTL_DEBUG";

    private static final String[] DESCRIPTION = {
            "Find the in-flight work an async JVM service will never finish: which connections "
                    + "are stuck, their socket addresses, how long they have waited, the last "
                    + "step each completed and what it waits on. Live, over a local socket, "
                    + "scriptable."};

    private static final String[] EXAMPLES = {
            "  routerctl demo                a sample router that loses requests",
            "  routerctl attach 4242         routerctl into a running Netty service",
            "  routerctl list                what routerctl can attach to",
            "  routerctl dump-stuck          stuck tasks of the only attachable process",
            "  routerctl dump-stuck --pid 4242 --older-than 2s --json",
            "  routerctl task 17             one task: steps, wait, warnings, relatives",
            "  routerctl snapshot -o a.json; routerctl diff a.json live",
            "  routerctl play hung-requests  a written incident procedure, run",
            "  routerctl shell               the same commands at a prompt, with completion",
            "  source <(routerctl completion bash)   Tab completion, live pids too",
            "  routerctl help dump-stuck     one command's options and examples",
            "",
            "Exit codes: 0 ok, 1 the check found a problem (e.g. --fail-if-stuck),",
            "2 usage error, 3 cannot attach (or refused to trust a target).",
            "Attach sockets live in -Drouterctl.attach.dir, else $ROUTERCTL_ATTACH_DIR,",
            "else $XDG_RUNTIME_DIR/routerctl, else /tmp/routerctl-<uid>."};

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this).name("routerctl");

    private Routerctl() {
        RouterctlCommand.describe(spec, DESCRIPTION, EXAMPLES);
        spec.usageMessage().commandListHeading("%nCommands:%n").footerHeading("%nExamples:%n");
        RouterctlCommand.addHelpOptions(spec);
    }

    public static void main(String[] args) {
        Charset charset = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, charset), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, charset), true);
        ConsoleContext context = ConsoleContext.system().withRunner(RUNNER);
        EarlyConnect.start(args, context.attachDirs());
        System.exit(run(context, out, err, args));
    }

    /** Runs one routerctl command line; returns its exit code. Output goes to {@code out}, errors to {@code err}. */
    public static int run(ConsoleContext context, PrintWriter out, PrintWriter err, String... args) {
        return RUNNER.run(context, out, err, List.of(args)).exitCode();
    }

    /**
     * The command set as a {@link CommandRunner}: what the shell, playbooks and the demo run
     * commands through. Every context it runs a command in carries it.
     */
    public static final CommandRunner RUNNER = new CommandRunner() {
        @Override
        public Outcome run(ConsoleContext context, PrintWriter out, PrintWriter err, List<String> args) {
            String[] error = new String[1];
            CommandLine cl = Routerctl.commandLine(context, error, args.isEmpty() ? null : args.get(0));
            cl.setOut(out);
            cl.setErr(err);
            try {
                int code = cl.execute(args.toArray(new String[0]));
                return new Outcome(code, error[0]);
            } finally {
                out.flush();
                err.flush();
            }
        }

        @Override
        public CommandLine commandLine(ConsoleContext context) {
            return Routerctl.commandLine(context);
        }
    };

    /**
     * The subcommands' names, in the order help lists them. Add new commands here and in
     * {@link #make} (and see {@code io.routerctl.console.command}'s package doc for the rest of the
     * checklist).
     */
    static final List<String> SUBCOMMANDS = List.of("list", "attach", "detach", "agent", "dump-stuck", "top",
            "task", "loops", "snapshot", "diff", "play", "shell", "demo", "completion");

    /**
     * A new instance of the subcommand {@code name}, one of {@link #SUBCOMMANDS}. A switch rather than
     * a table of constructor references: every command line starts here, and each reference costs a
     * link of its own at start-up.
     */
    static RouterctlCommand make(String name, ConsoleContext context) {
        return switch (name) {
            case "list" -> new ListCommand(context);
            case "attach" -> new AttachCommand(context);
            case "detach" -> new DetachCommand(context);
            case "agent" -> new AgentCommand(context);
            case "dump-stuck" -> new DumpStuckCommand(context);
            case "top" -> new TopCommand(context);
            case "task" -> new TaskCommand(context);
            case "loops" -> new LoopsCommand(context);
            case "snapshot" -> new SnapshotCommand(context);
            case "diff" -> new DiffCommand(context);
            case "play" -> new PlayCommand(context);
            case "shell" -> new ShellCommand(context);
            case "demo" -> new DemoCommand(context);
            case "completion" -> new CompletionCommand(context);
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }

    /** The full command tree with routerctl's error handling, ready to {@code execute}. */
    public static CommandLine commandLine(ConsoleContext context) {
        return commandLine(context, new String[1], null);
    }

    /**
     * As above; the one-line error a failure prints is also kept in {@code error[0]}. When
     * {@code first} (the first argument) names a subcommand, the tree holds only that one: a command
     * line that runs one command need not build the other thirteen's models. Help, completion and a
     * mistyped command get the whole tree.
     */
    private static CommandLine commandLine(ConsoleContext context, String[] error, String first) {
        ConsoleContext withRunner = context.hasRunner() ? context : context.withRunner(RUNNER);
        CommandLine cl = new CommandLine(new Routerctl().spec);
        boolean one = first != null && SUBCOMMANDS.contains(first);
        for (String name : one ? List.of(first) : SUBCOMMANDS) {
            cl.addSubcommand(name, make(name, withRunner).spec());
        }
        if (!one) {
            cl.addSubcommand("help", new CommandLine.HelpCommand());
        }
        cl.setParameterExceptionHandler((e, args) -> {
            error[0] = usageError(e);
            e.getCommandLine().getErr().println(error[0]);
            e.getCommandLine().getErr().flush();
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Failure f = failure(e, commandLine);
            error[0] = f.line();
            return f.code();
        });
        return cl;
    }

    /** {@code routerctl} alone: the usage, on the error stream, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /** The one line a usage error prints: {@code routerctl <command>: <what> (see routerctl <command> --help)}. */
    private static String usageError(ParameterException e) {
        CommandLine cl = e.getCommandLine();
        String name = cl.getCommandSpec().qualifiedName(" ");
        return Printable.of(name + ": " + UsageProblems.describe(e) + " (see " + name + " --help)");
    }

    private record Failure(int code, String line) {
    }

    /** Prints a command's failure (a detail block, then one line) and says what it came to. */
    private static Failure failure(Exception e, CommandLine cl) {
        String name = cl.getCommandSpec().qualifiedName(" ");
        PrintWriter err = cl.getErr();
        Failure f;
        if (e instanceof CommandException ce) {
            if (ce.detail() != null) {
                err.print(Printable.lines(ce.detail()));
            }
            f = new Failure(ce.exitCode(), name + ": " + ce.getMessage());
        } else if (e instanceof AttachException) {
            f = new Failure(ExitCode.CANNOT_ATTACH, name + ": cannot attach: " + e.getMessage());
        } else if (e instanceof TargetErrorException te) {
            f = new Failure(ExitCode.CANNOT_ATTACH,
                    name + ": the target answered with an error (" + te.code() + "): " + te.getMessage());
        } else {
            f = new Failure(ExitCode.INTERNAL_ERROR, name + ": internal error: " + e + (System.getenv(DEBUG_ENV) == null
                    ? " (set " + DEBUG_ENV + "=1 for the stack trace)" : ""));
        }
        f = new Failure(f.code(), Printable.of(f.line()));
        err.println(f.line());
        if (f.code() == ExitCode.INTERNAL_ERROR && System.getenv(DEBUG_ENV) != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return f;
    }
}
