package io.routerctl.console.command;

import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import io.routerctl.console.attach.AttachedTarget;
import io.routerctl.console.attach.TargetOptions;
import io.routerctl.console.command.RouterctlCommand;
import io.routerctl.console.context.Arg;
import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.DurationConverter;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.context.StuckOptions;
import io.routerctl.console.source.SnapshotSource;
import io.routerctl.console.top.AttachTopConnector;
import io.routerctl.console.top.SnapshotTopConnector;
import io.routerctl.console.top.TopConnection;
import io.routerctl.console.top.TopConnector;
import io.routerctl.console.top.TopSession;
import io.routerctl.console.top.TopSettings;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.snapshot.TaskQuery;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code routerctl top}: the live, full-screen view of a target's in-flight work.
 *
 * With {@code --from FILE} it shows a saved snapshot as a frozen view through a
 * {@link SnapshotTopConnector}: same screen and keys, no updates, no reconnects.
 *
 * <p>Exit codes: 0 when the user quits ({@code q} or Ctrl-C), 2 on a usage error (bad option,
 * several targets and none chosen, no terminal, a snapshot file that cannot be read), 3 when it cannot attach at start. Once running, a
 * target that goes away is retried, not an error.
 *
 * <h2>Thread safety</h2>
 * A picocli command object: one invocation at a time, on the caller's thread.
 */
public final class TopCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
        "Watch a target's in-flight work live, full screen.",
        "The stuck requests, their socket addresses, last step and what they wait on, updated "
                + "every --interval. Keys: arrows move, left/right sort, / filter, s stuck only, "
                + "Space pause, Enter detail, l loops, ? help, q quit."};

    private static final String[] EXAMPLES = {
        "  routerctl top                          the only attachable process",
        "  routerctl top --pid 4242               a given process",
        "  routerctl top --name sample-router     by name: follows a restart",
        "  routerctl top --older-than 2s --filter auth",
        "  routerctl top --no-adaptive            stuck only by --older-than",
        "  routerctl top --from s.json            a snapshot file, frozen",
        "",
        "Exit codes: 0 quit, 2 usage error, 3 cannot attach.",
        "Honours NO_COLOR: no colours, stuck rows still marked '!'. See docs/top.md."};

    private final TargetOptions target = new TargetOptions(spec);

    private final Arg<Path> from = option(OptionSpec.builder("--from").paramLabel("FILE").type(Path.class)
            .description("Show a snapshot file (routerctl snapshot -o FILE) as a frozen view instead of a "
                    + "live target: same keys, no updates. Not with --pid, --socket or --name."));

    private final Arg<Duration> interval = option(OptionSpec.builder("--interval")
            .paramLabel("DURATION").type(Duration.class)
            .defaultValue("1s").converters(new DurationConverter())
            .description("How often the target sends an update, 100ms to 60s (default: ${DEFAULT-VALUE})."));

    private final Arg<String> filter = option(OptionSpec.builder("--filter").paramLabel("RE").type(String.class)
            .description("Start with this filter: a regular expression over remote address, step, "
                    + "waiting-on, kind, state and loop."));

    private final StuckOptions stuck = new StuckOptions(spec);

    public TopCommand(ConsoleContext context) {
        super(context, "top", DESCRIPTION, EXAMPLES);
    }

    @Override
    protected int execute() throws IOException {
        TopSettings settings = settings();
        TopConnector connector;
        TopConnection first;
        if (from.get() != null) {
            SnapshotTopConnector frozen = new SnapshotTopConnector(SnapshotSource.open(from.get()));
            connector = frozen;
            first = frozen.connect();
        } else if (target.name() != null) {
            // By name, top follows the service: a restart under a new pid counts as it coming back.
            connector = AttachTopConnector.forName(target.name(), context.attachDirs(), target.timeout());
            try {
                first = connector.connect();
            } catch (AttachException e) {
                throw CommandException.cannotAttach(e.getMessage());
            }
        } else {
            AttachedTarget attached = target.attach(spec, context);
            connector = AttachTopConnector.forSocket(attached.socket(), target.timeout());
            first = TopConnection.of(attached.client());
        }
        if (System.console() == null) {
            first.close();
            throw CommandException.usage("needs a terminal (for scripts use: routerctl dump-stuck --json)");
        }
        Terminal terminal = newTerminal();
        try {
            new TopSession(terminal, connector, settings).run(first);
            return ExitCode.OK;
        } finally {
            terminal.close();
        }
    }

    /** The options as settings; usage errors for what cannot be. */
    private TopSettings settings() {
        target.validate(spec);
        if (from.get() != null && target.chosen()) {
            throw new ParameterException(spec.commandLine(),
                    "--from reads a snapshot instead of a target; it cannot be used with --pid, --socket or --name");
        }
        if (filter.get() != null) {
            if (filter.get().length() > TaskQuery.MAX_FILTER_CHARS) {
                throw new ParameterException(spec.commandLine(), "--filter is " + filter.get().length()
                        + " characters long; at most " + TaskQuery.MAX_FILTER_CHARS);
            }
            try {
                Pattern.compile(filter.get());
            } catch (PatternSyntaxException e) {
                throw new ParameterException(spec.commandLine(),
                        "--filter is not a regular expression: " + e.getDescription());
            }
        }
        try {
            return TopSettings.of(interval.get(), stuck.olderThanMs(), filter.get(), stuck.adaptive());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Runs top full screen on the user's terminal against the target behind {@code socket} until the
     * user quits: the entry point for front ends that already know their target (the demo). Whatever
     * else writes to the terminal meanwhile (a child process's output) must be silenced by the caller,
     * or it scribbles over the screen. Returns {@link ExitCode#OK}.
     *
     * @throws CommandException exit 3 if the target cannot be reached
     */
    public static int watch(Path socket, Duration timeout, Duration interval, long olderThanMs) throws IOException {
        TopConnector connector = AttachTopConnector.forSocket(socket, timeout);
        TopConnection first;
        try {
            first = connector.connect();
        } catch (AttachException e) {
            throw CommandException.cannotAttach("cannot attach to " + socket + ": " + e.getMessage());
        }
        Terminal terminal = newTerminal();
        try {
            new TopSession(terminal, connector, TopSettings.of(interval, olderThanMs, null, true)).run(first);
            return ExitCode.OK;
        } finally {
            terminal.close();
        }
    }

    /**
     * The user's terminal, in text mode even where a GUI is available. Ctrl-C arrives as a key, so
     * top quits as for {@code q} (exit 0, terminal restored); a kill still runs the shutdown hook.
     */
    public static Terminal newTerminal() throws IOException {
        return new DefaultTerminalFactory()
                .setForceTextTerminal(true)
                .setUnixTerminalCtrlCBehaviour(UnixLikeTerminal.CtrlCBehaviour.TRAP)
                .createTerminal();
    }
}
