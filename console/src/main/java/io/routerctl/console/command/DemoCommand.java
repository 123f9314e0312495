package io.routerctl.console.command;

import io.routerctl.console.context.DurationConverter;
import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.StuckOptions;
import io.routerctl.console.demo.DemoSession;
import io.routerctl.console.demo.DemoView;
import io.routerctl.console.demo.SampleProcess;
import io.routerctl.console.demo.StatusLineView;
import io.routerctl.console.demo.TopDemoView;
import io.routerctl.console.command.TopCommand;
import io.routerctl.console.top.TopSettings;
import io.routerctl.console.render.Durations;
import io.routerctl.console.attach.AttachedTarget;
import io.routerctl.console.attach.TargetOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code routerctl demo}: runs the sample router (buggy auth adapter, upstream, built-in load) as a
 * child JVM, waits until it is attachable, and shows what routerctl sees in it: {@code top} on a
 * terminal until the user quits it, else (with {@code --no-top}, {@code --for}, or no terminal) a
 * status line every few seconds until Ctrl-C.
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time. A shutdown hook (Ctrl-C) stops the
 * child from another thread; {@link SampleProcess#close()} allows that.
 */
@Command(name = "demo",
        description = {
                "Run the sample router under load and watch what routerctl sees.",
                "",
                "Starts the sample router with its lossy auth adapter, its upstream and a steady "
                        + "load, as a child process, and opens routerctl top on it; quitting top (q) "
                        + "stops everything. The sample's output goes to a log file meanwhile; its place "
                        + "is printed before top opens and after it closes.",
                "",
                "With --no-top, --for, or when the output is not a terminal, it prints one line of "
                        + "what routerctl sees every few seconds instead, until Ctrl-C.",
                "",
                "While it runs, try routerctl dump-stuck in another terminal."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  routerctl demo",
                "  routerctl demo --rate 500 --interval 500ms",
                "  routerctl demo --auth-adapter fixed      nothing gets stuck",
                "  routerctl demo --no-top                  status lines, e.g. in a script",
                "  routerctl demo --for 30s                 status lines, stops after 30s",
                "",
                "The sample is java -jar routerctl-samples.jar, from the checkout's samples/target",
                "or beside routerctl.jar (-Drouterctl.samples.jar=PATH to use another).",
                "Exit codes: 0 top quit, or stopped by --for or Ctrl-C; 2 usage error or no",
                "samples jar; 3 the sample never became attachable or went away."})
public final class DemoCommand extends RouterctlCommand {

    /** {@code routerctl.samples.jar}: the samples jar to run; default under {@code $ROUTERCTL_HOME}. */
    public static final String SAMPLES_JAR_PROPERTY = "routerctl.samples.jar";
    static final String SAMPLES_JAR_FILE = "routerctl-samples.jar";
    static final String SAMPLES_JAR_DEFAULT = "samples/target/" + SAMPLES_JAR_FILE;
    /** {@code ROUTERCTL_HOME}: the repository root the launcher runs from. */
    public static final String HOME_ENV = "ROUTERCTL_HOME";

    private static final Duration POLL_EVERY = Duration.ofMillis(100);
    /** How often top refreshes, and the status lines come, when --interval does not say. */
    private static final Duration TOP_INTERVAL = Duration.ofSeconds(1);
    private static final Duration STATUS_INTERVAL = Duration.ofSeconds(3);

    @Option(names = "--rate", paramLabel = "N",
            description = "Requests per second of the built-in load (default: the sample's, about 300).")
    Integer rate;

    @Option(names = "--auth-adapter", paramLabel = "buggy|fixed",
            description = "The auth adapter: buggy loses wake-ups under load, fixed does not "
                    + "(default: the sample's, buggy).")
    String authAdapter;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often top refreshes (default: 1s), or the status lines come (default: 3s).")
    Duration interval;

    @Option(names = "--no-top",
            description = "Print status lines instead of opening top (also without a terminal, or with --for).")
    boolean noTop;

    @Option(names = "--startup-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long the sample may take to become attachable (default: ${DEFAULT-VALUE}).")
    Duration startupTimeout;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after showing status lines for this long (default: run until Ctrl-C); "
                    + "implies --no-top.")
    Duration runFor;

    @Mixin
    StuckOptions stuck;

    public DemoCommand(ConsoleContext context) {
        super(context);
    }

    @Override
    protected int execute() throws Exception {
        if (rate != null && rate < 1) {
            throw new ParameterException(spec.commandLine(), "--rate must be at least 1, got " + rate);
        }
        if (authAdapter != null && !authAdapter.equals("buggy") && !authAdapter.equals("fixed")) {
            throw new ParameterException(spec.commandLine(), "--auth-adapter must be buggy or fixed, got '"
                    + authAdapter + "'");
        }
        if (interval != null && interval.isZero()) {
            throw new ParameterException(spec.commandLine(), "--interval must be more than 0");
        }
        boolean top = !noTop && runFor == null && System.console() != null;
        Duration every = interval != null ? interval : top ? TOP_INTERVAL : STATUS_INTERVAL;
        if (top && (every.compareTo(TopSettings.MIN_INTERVAL) < 0 || every.compareTo(TopSettings.MAX_INTERVAL) > 0)) {
            throw new ParameterException(spec.commandLine(), "--interval must be between "
                    + Durations.format(TopSettings.MIN_INTERVAL.toMillis()) + " and "
                    + Durations.format(TopSettings.MAX_INTERVAL.toMillis()) + " for top, got "
                    + Durations.format(every.toMillis()));
        }
        Path jar = samplesJar();
        if (!Files.isRegularFile(jar)) {
            throw CommandException.usage("no samples jar at " + jar + "; in a checkout, ./routerctl demo builds it "
                    + "first (or mvn -B -DskipTests package); a release has it in lib/");
        }
        Path attachDir = context.attachDir();
        SampleProcess sample = SampleProcess.start(command(jar, attachDir), out(), top ? newLog() : null);
        Thread stopOnExit = new Thread(sample::close, "routerctl-demo-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            Path socket = attachDir.resolve(sample.pid() + ".sock");
            Duration attachTimeout = io.routerctl.probes.Durations.parse(TargetOptions.DEFAULT_TIMEOUT);
            try (AttachedTarget target = new AttachedTarget(socket,
                    sample.awaitAttachable(socket, startupTimeout, attachTimeout, POLL_EVERY))) {
                // --for counts from the moment there is something to show, however slow the start.
                Long until = runFor == null ? null : System.nanoTime() + runFor.toNanos();
                DemoView view = top ? new TopDemoView(TopCommand::watch, attachTimeout) : new StatusLineView();
                return view.show(new DemoSession(sample, target, out(), every, stuck.olderThanMs(), until));
            }
        } finally {
            sample.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is already running and stops the sample.
            }
        }
    }

    /** A fresh file under the temporary directory for the sample's output while top owns the screen. */
    private static Path newLog() {
        try {
            return Files.createTempFile("routerctl-demo-", ".log");
        } catch (IOException e) {
            throw CommandException.usage("cannot create a log file for the sample's output: " + e.getMessage());
        }
    }

    private List<String> command(Path jar, Path attachDir) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Drouterctl.attach.dir=" + attachDir);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.add("demo");
        cmd.add("--watch-parent");
        if (rate != null) {
            cmd.add("--rate");
            cmd.add(rate.toString());
        }
        if (authAdapter != null) {
            cmd.add("--auth-adapter");
            cmd.add(authAdapter);
        }
        return cmd;
    }

    /**
     * The samples jar: {@value #SAMPLES_JAR_PROPERTY}, else under {@code $ROUTERCTL_HOME} (a
     * checkout), else {@code routerctl-samples.jar} next to our jar (an unpacked release), else the
     * checkout's path, for the error.
     */
    static Path samplesJar() {
        String explicit = System.getProperty(SAMPLES_JAR_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath();
        }
        Path checkout = home().resolve(SAMPLES_JAR_DEFAULT);
        if (Files.isRegularFile(checkout)) {
            return checkout;
        }
        Path beside = ownDirectory();
        return beside != null && Files.isRegularFile(beside.resolve(SAMPLES_JAR_FILE))
                ? beside.resolve(SAMPLES_JAR_FILE) : checkout;
    }

    /** The directory of the jar our classes come from, or null. */
    private static Path ownDirectory() {
        try {
            return Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** {@code $ROUTERCTL_HOME}, else the repository our jar was built in, else the working directory. */
    static Path home() {
        String env = System.getenv(HOME_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        try {
            Path code = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // console/target/routerctl.jar (or console/target/classes) -> the repository root
            Path target = code.getParent();
            if (target != null && target.getFileName() != null && target.getFileName().toString().equals("target")
                    && target.getParent() != null && target.getParent().getParent() != null) {
                return target.getParent().getParent();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
