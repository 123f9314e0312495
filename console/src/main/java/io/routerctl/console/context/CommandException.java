package io.routerctl.console.context;

/**
 * A command failed in a way the user can act on: carries the exit code and the one-line message
 * printed as {@code routerctl <command>: <message>}, and optionally a detail block printed before
 * that line (for example the list of targets to choose from).
 *
 * <h2>Thread safety</h2>
 * Immutable. {@link #detail()} may return {@code null}.
 */
public class CommandException extends RuntimeException {

    private final int exitCode;
    private final String detail;

    public CommandException(int exitCode, String message, String detail) {
        super(message);
        this.exitCode = exitCode;
        this.detail = detail;
    }

    /** Exit {@value ExitCode#USAGE}: the command line cannot be carried out as given. */
    public static CommandException usage(String message) {
        return new CommandException(ExitCode.USAGE, message, null);
    }

    /** Exit {@value ExitCode#CANNOT_ATTACH}: no target could be reached. */
    public static CommandException cannotAttach(String message) {
        return new CommandException(ExitCode.CANNOT_ATTACH, message, null);
    }

    public int exitCode() {
        return exitCode;
    }

    /** Text printed (to stderr) before the error line, or {@code null}. */
    public String detail() {
        return detail;
    }
}
