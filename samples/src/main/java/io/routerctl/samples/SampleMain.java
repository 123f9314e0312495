package io.routerctl.samples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The samples jar's command line ({@code routerctl sample ...} and {@code routerctl demo ...} run
 * it): {@link SampleCommand} runs the sample router in the foreground; {@link DemoCommand} runs it
 * with a built-in load generator and a status line.
 *
 * <p>Exit codes: 0 stopped cleanly, 1 could not start (e.g. port in use), 2 usage error.
 *
 * <h2>Thread safety</h2>
 * Entry point; one call per process.
 */
@Command(name = "routerctl", mixinStandardHelpOptions = false,
        description = "The routerctl sample router and demo.",
        subcommands = {SampleCommand.class, DemoCommand.class})
public final class SampleMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /** Runs one command with the given output streams; returns its exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new SampleMain());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            String command = ex.getCommandLine().getCommandName();
            err.println("routerctl " + command + ": " + ex.getMessage() + " (see 'routerctl "
                    + ("routerctl".equals(command) ? "" : command + " ") + "--help')");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            err.println("routerctl " + c.getCommandName() + ": " + ex.getMessage());
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: sample or demo");
    }
}
