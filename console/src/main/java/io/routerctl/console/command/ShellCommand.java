package io.routerctl.console.command;

import io.routerctl.console.attach.AttachedTarget;
import io.routerctl.console.attach.TargetOptions;
import io.routerctl.console.attach.TargetSelector;
import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.shell.RouterctlShell;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code routerctl shell}: the interactive prompt ({@link RouterctlShell}) on the system terminal.
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
public final class ShellCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
            "An interactive prompt that runs routerctl commands against an attached target.",
            "",
            "The same commands as on the command line, plus attach, detach, help, exit. Tab "
                    + "completes commands, options, task ids and probe points (fetched from the "
                    + "target) and files; history persists in ~/.routerctl_history (Ctrl-R searches "
                    + "it); Ctrl-C cancels the running command, Ctrl-D quits. A line typed here can be "
                    + "pasted into a playbook unchanged.",
            "",
            "Without --pid or --socket it attaches to the only attachable process, if there is "
                    + "exactly one; otherwise it starts detached."};

    private static final String[] EXAMPLES = {
            "  routerctl shell",
            "  routerctl shell --pid 4242",
            "  routerctl[sample-router 4242]> dump-stuck --older-than 2s",
            "  routerctl[sample-router 4242]> task <Tab>",
            "",
            "Exit codes: 0 the shell ended, 2 usage error,",
            "3 cannot attach to the target named by --pid or --socket."};

    private final TargetOptions target = new TargetOptions(spec);

    public ShellCommand(ConsoleContext context) {
        super(context, "shell", DESCRIPTION, EXAMPLES);
    }

    @Override
    protected int execute() throws Exception {
        target.validate(spec);
        // Fed from a pipe or a file (a script, a soak run): a plain terminal, without JLine's warning
        // that it could not open the system one.
        TerminalBuilder builder = TerminalBuilder.builder().system(true).name("routerctl");
        if (System.console() == null) {
            builder.dumb(true);
        }
        try (Terminal terminal = builder.build()) {
            RouterctlShell shell = new RouterctlShell(context, terminal, RouterctlShell.defaultHistoryFile(),
                    target.timeout());
            if (target.chosen() || context.defaultSocket() != null) {
                shell.attached(target.attach(spec, context));
            } else {
                attachToTheOnlyTarget(shell, terminal);
            }
            return shell.run();
        }
    }

    private void attachToTheOnlyTarget(RouterctlShell shell, Terminal terminal) {
        TargetSelector selector = new TargetSelector(context.attachDirs(), target.timeout());
        int targets = selector.targets().size();
        if (targets != 1) {
            terminal.writer().println(targets == 0 ? "No attachable process; attach later with attach --pid N."
                    : targets + " attachable processes; choose one with attach --pid N (see list).");
            return;
        }
        try {
            AttachedTarget attached = selector.attach(null, null);
            shell.attached(attached);
        } catch (CommandException e) {
            terminal.writer().println("routerctl shell: " + e.getMessage() + "; starting detached");
        }
    }

    /** Exit code when the shell ends normally. */
    static int ok() {
        return ExitCode.OK;
    }
}
