package io.routerctl.console.top;

import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.ansi.UnixLikeTerminal;
import io.routerctl.probes.attach.AttachDirectory;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.AttachTarget;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code routerctl top}: the live, full-screen view of a target's in-flight work.
 *
 * <p>Exit codes: 0 when the user quits, 2 on a usage error (bad option, several targets and none
 * chosen, no terminal), 3 when it cannot attach at start. Once running, a target that goes away is
 * retried, not an error.
 *
 * <h2>Thread safety</h2>
 * A picocli command object: one call per instance.
 */
@Command(name = "top",
        mixinStandardHelpOptions = true,
        description = {
            "Live, full-screen view of a target's in-flight work: the stuck requests, their socket",
            "addresses, last step and what they wait on, updated every --interval.",
            "Keys: arrows move, left/right sort, / filter, s stuck only, Enter detail, l loops, ? help, q quit."},
        footer = {"",
            "Examples:",
            "  routerctl top                          the only attachable process",
            "  routerctl top --pid 4242               a given process",
            "  routerctl top --name sample-router     by name; follows a restart to its new pid",
            "  routerctl top --older-than 2s --filter auth",
            "  routerctl top --adaptive                stuck also by each wait's usual latency",
            "  routerctl top --interval 500ms --socket /tmp/routerctl-$USER/4242.sock",
            "",
            "Exit codes: 0 quit, 2 usage error, 3 cannot attach.",
            "Honours NO_COLOR: no colours, stuck rows still marked '!'."})
public final class TopCommand implements Callable<Integer> {

    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 2;
    static final int EXIT_CANNOT_ATTACH = 3;
    /** top itself failed (a bug): the console's internal-error code. */
    static final int EXIT_INTERNAL = 70;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    static final class Target {
        @Option(names = "--pid", paramLabel = "N", description = "attach to the process with this pid")
        Long pid;

        @Option(names = "--socket", paramLabel = "PATH", description = "attach through this attach socket")
        Path socket;

        @Option(names = "--name", paramLabel = "NAME",
                description = "attach to the process that calls itself NAME; a restart under a new pid counts as back")
        String name;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Target target;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s",
            description = "how often the target sends an update (100ms..60s; default ${DEFAULT-VALUE})")
    String interval;

    @Option(names = "--older-than", paramLabel = "DURATION", defaultValue = "5s",
            description = "a task without progress for this long is stuck (default ${DEFAULT-VALUE})")
    String olderThan;

    @Option(names = "--filter", paramLabel = "RE",
            description = "show only tasks whose remote address, step, waiting-on or kind matches RE")
    String filter;

    @Option(names = "--adaptive",
            description = "also call a wait stuck when it is far past its probe point's usual latency (p99)")
    boolean adaptive;

    private final PrintStream err;
    private final BooleanSupplier hasTerminal;

    public TopCommand() {
        this(System.err, () -> System.console() != null);
    }

    TopCommand(PrintStream err, BooleanSupplier hasTerminal) {
        this.err = err;
        this.hasTerminal = hasTerminal;
    }

    @Override
    public Integer call() throws Exception {
        TopSettings settings;
        try {
            Duration every = DurationText.parse(interval);
            long threshold = DurationText.parse(olderThan).toMillis();
            if (filter != null) {
                Pattern.compile(filter);
            }
            settings = TopSettings.of(every, threshold, filter, adaptive);
        } catch (PatternSyntaxException e) {
            return fail(EXIT_USAGE, "--filter is not a regular expression: " + e.getDescription());
        } catch (IllegalArgumentException e) {
            return fail(EXIT_USAGE, e.getMessage());
        }
        TopConnector connector;
        try {
            connector = connector();
        } catch (UsageProblem e) {
            return fail(EXIT_USAGE, e.getMessage());
        } catch (AttachException e) {
            return fail(EXIT_CANNOT_ATTACH, e.getMessage());
        }
        TopConnection first;
        try {
            first = connector.connect();
        } catch (AttachException e) {
            return fail(EXIT_CANNOT_ATTACH, "cannot attach to " + connector.describe() + ": " + e.getMessage());
        }
        if (!hasTerminal.getAsBoolean()) {
            first.close();
            return fail(EXIT_USAGE, "needs a terminal (for scripts use: routerctl dump-stuck --json)");
        }
        Terminal terminal = newTerminal();
        try {
            return new TopSession(terminal, connector, settings).run(first);
        } catch (IOException | RuntimeException e) {
            // The session restored the terminal before this reaches us: one line, as every command.
            return fail(EXIT_INTERNAL, "failed: " + e + " (terminal restored)");
        } finally {
            terminal.close();
        }
    }

    /**
     * The user's terminal, in text mode even where a GUI is available. Ctrl-C arrives as a key, so
     * top quits as for {@code q} (exit 0, terminal restored); a kill still runs the shutdown hook.
     */
    static Terminal newTerminal() throws java.io.IOException {
        return new DefaultTerminalFactory()
                .setForceTextTerminal(true)
                .setUnixTerminalCtrlCBehaviour(UnixLikeTerminal.CtrlCBehaviour.TRAP)
                .createTerminal();
    }

    /** The connector for the chosen target; with none chosen, the only attachable process. */
    TopConnector connector() throws AttachException, UsageProblem {
        Path dir = AttachDirectory.resolve();
        if (target != null && target.socket != null) {
            return AttachTopConnector.forSocket(target.socket, CONNECT_TIMEOUT);
        }
        if (target != null && target.pid != null) {
            return AttachTopConnector.forSocket(dir.resolve(target.pid + ".sock"), CONNECT_TIMEOUT);
        }
        if (target != null && target.name != null) {
            return AttachTopConnector.forName(target.name, dir, CONNECT_TIMEOUT);
        }
        List<AttachTarget> targets = AttachDirectory.targets(dir);
        if (targets.isEmpty()) {
            throw new AttachException("no attachable process in " + dir + " (start one, e.g. ./routerctl demo)");
        }
        if (targets.size() > 1) {
            StringBuilder pids = new StringBuilder();
            for (AttachTarget t : targets) {
                pids.append(pids.length() == 0 ? "" : ", ").append(t.pid());
            }
            throw new UsageProblem(targets.size() + " attachable processes (" + pids + "): choose one with --pid or --name");
        }
        return AttachTopConnector.forSocket(targets.get(0).socket(), CONNECT_TIMEOUT);
    }

    private int fail(int code, String message) {
        err.println("routerctl top: " + message);
        return code;
    }

    /** The user's choice of target cannot be served as given. */
    static final class UsageProblem extends Exception {
        UsageProblem(String message) {
            super(message);
        }
    }
}
