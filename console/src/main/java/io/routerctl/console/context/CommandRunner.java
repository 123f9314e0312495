package io.routerctl.console.context;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/**
 * Runs routerctl command lines for the front ends that live inside the console (the shell, the
 * playbook executor, the demo), so that they run the same commands with the same exit codes
 * without knowing how the command set is assembled. {@code io.routerctl.console.Routerctl}
 * provides it through {@link ConsoleContext#runner()}.
 *
 * <pre>{@code
 * CommandRunner.Outcome o = context.runner().run(context, out, err, List.of("dump-stuck", "--json"));
 * if (o.exitCode() == ExitCode.CANNOT_ATTACH) { ... o.error() ... }
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * Implementations build a new command tree per call; calls on different threads do not interfere.
 */
public interface CommandRunner {

    /**
     * What running one command line came to.
     *
     * @param exitCode an {@link ExitCode}
     * @param error    the one-line message printed for a failure, {@code routerctl <command>: <what>},
     *                 or {@code null} when the command succeeded or found a problem (exit 0 or 1)
     */
    record Outcome(int exitCode, String error) {
    }

    /** Runs {@code args} (the first word names the command); output to {@code out}, errors to {@code err}. */
    Outcome run(ConsoleContext context, PrintWriter out, PrintWriter err, List<String> args);

    /** The whole command tree, with routerctl's error handling, for completion and checking options. */
    CommandLine commandLine(ConsoleContext context);
}
