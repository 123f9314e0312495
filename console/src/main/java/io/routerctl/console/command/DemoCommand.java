package io.routerctl.console.command;

import io.routerctl.console.attach.AttachedTarget;
import io.routerctl.console.attach.TargetOptions;
import io.routerctl.console.command.TopCommand;
import io.routerctl.console.context.Arg;
import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.DurationConverter;
import io.routerctl.console.context.StuckOptions;
import io.routerctl.console.demo.DemoSession;
import io.routerctl.console.demo.DemoView;
import io.routerctl.console.demo.SampleProcess;
import io.routerctl.console.demo.StatusLineView;
import io.routerctl.console.demo.TopDemoView;
import io.routerctl.console.render.Durations;
import io.routerctl.console.top.TopSettings;
import picocli.CommandLine.Model.OptionSpec;
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
public final class DemoCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
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
            "While it runs, try routerctl dump-stuck in another terminal."};

    private static final String[] EXAMPLES = {
            "  routerctl demo",
            "  routerctl demo --rate 500 --interval 500ms",
            "  routerctl demo --auth-adapter fixed      nothing gets stuck",
            "  routerctl demo --no-top                  status lines, e.g. in a script",
            "  routerctl demo --for 30s                 status lines, stops after 30s",
            "",
            "The sample is java -jar routerctl-samples.jar, from the checkout's samples/target",
            "or beside routerctl.jar (-Drouterctl.samples.jar=PATH to use another).",
            "Exit codes: 0 top quit, or stopped by --for or Ctrl-C; 2 usage error or no",
            "samples jar; 3 the sample never became attachable or went away."};

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

    private final Arg<Integer> rate = option(OptionSpec.builder("--rate").paramLabel("N").type(Integer.class)
            .description("Requests per second of the built-in load (default: the sample's, about 300)."));

    private final Arg<String> authAdapter = option(OptionSpec.builder("--auth-adapter")
            .paramLabel("buggy|fixed").type(String.class)
            .description("The auth adapter: buggy loses wake-ups under load, fixed does not "
                    + "(default: the sample's, buggy)."));

    private final Arg<Duration> interval = option(OptionSpec.builder("--interval")
            .paramLabel("DURATION").type(Duration.class)
            .converters(new DurationConverter())
            .description("How often top refreshes (default: 1s), or the status lines come (default: 3s)."));

    private final Arg<Boolean> noTop = flag("--no-top",
            "Print status lines instead of opening top (also without a terminal, or with --for).");

    private final Arg<Duration> startupTimeout = option(OptionSpec.builder("--startup-timeout")
            .paramLabel("DURATION").type(Duration.class)
            .defaultValue("60s").converters(new DurationConverter())
            .description("How long the sample may take to become attachable (default: ${DEFAULT-VALUE})."));

    private final Arg<Duration> runFor = option(OptionSpec.builder("--for").paramLabel("DURATION").type(Duration.class)
            .converters(new DurationConverter())
            .description("Stop after showing status lines for this long (default: run until Ctrl-C); "
                    + "implies --no-top."));

    private final StuckOptions stuck = new StuckOptions(spec);

    public DemoCommand(ConsoleContext context) {
        super(context, "demo", DESCRIPTION, EXAMPLES);
    }

    @Override
    protected int execute() throws Exception {
        if (rate.get() != null && rate.get() < 1) {
            throw new ParameterException(spec.commandLine(), "--rate must be at least 1, got " + rate.get());
        }
        if (authAdapter.get() != null && !authAdapter.get().equals("buggy") && !authAdapter.get().equals("fixed")) {
            throw new ParameterException(spec.commandLine(), "--auth-adapter must be buggy or fixed, got '"
                    + authAdapter.get() + "'");
        }
        if (interval.get() != null && interval.get().isZero()) {
            throw new ParameterException(spec.commandLine(), "--interval must be more than 0");
        }
        boolean top = !noTop.on() && runFor.get() == null && System.console() != null;
        Duration every = interval.get() != null ? interval.get() : top ? TOP_INTERVAL : STATUS_INTERVAL;
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
                    sample.awaitAttachable(socket, startupTimeout.get(), attachTimeout, POLL_EVERY))) {
                // --for counts from the moment there is something to show, however slow the start.
                Long until = runFor.get() == null ? null : System.nanoTime() + runFor.get().toNanos();
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
        if (rate.get() != null) {
            cmd.add("--rate");
            cmd.add(rate.get().toString());
        }
        if (authAdapter.get() != null) {
            cmd.add("--auth-adapter");
            cmd.add(authAdapter.get());
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
