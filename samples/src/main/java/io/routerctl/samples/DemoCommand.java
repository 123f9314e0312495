package io.routerctl.samples;

import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.samples.load.LoadGenerator;
import io.routerctl.samples.load.LoadReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code routerctl demo}: the sample router on an ephemeral port, its upstream, and the built-in
 * load generator at a steady rate; prints what runs, then a status line every few seconds.
 *
 * <h2>Thread safety</h2>
 * Run once, on the main thread.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the sample router under a steady load and show what gets stuck.",
                "Starts the router (buggy auth adapter by default) on an ephemeral port, its upstream "
                        + "backend and an open-loop load generator; every few seconds prints the in-flight and "
                        + "stuck requests as the registry sees them. Attach with 'routerctl dump-stuck' meanwhile."},
        footer = {"",
                "Examples:",
                "  routerctl demo",
                "  routerctl demo --rate 500 --auth-adapter fixed",
                "  routerctl demo --rate 1 --duration 60s",
                "  routerctl demo --duration 30s --timeout 10s --status-every 2s"})
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rate", paramLabel = "REQ/S", description = "requests per second, open loop (default ${DEFAULT-VALUE})")
    double rate = 300;

    @CommandLine.Mixin
    Options.RouterOptions router = new Options.RouterOptions();

    @Option(names = "--port", paramLabel = "PORT", description = "router port (default 0: any free port)")
    int port;

    @Option(names = "--tokens", paramLabel = "N", description = "distinct bearer tokens the load uses (default ${DEFAULT-VALUE})")
    int tokens = 2;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Options.DurationConverter.class,
            description = "the load generator gives a request up after this long (default 30s)")
    Duration timeout = Duration.ofSeconds(30);

    @Option(names = "--duration", paramLabel = "DURATION", converter = Options.DurationConverter.class,
            description = "stop sending after this long, report and exit (default: run until Ctrl-C)")
    Duration duration;

    @Option(names = "--status-every", paramLabel = "DURATION", converter = Options.DurationConverter.class,
            description = "how often to print the status line (default 5s)")
    Duration statusEvery = Duration.ofSeconds(5);

    @Option(names = "--stuck-after", paramLabel = "DURATION", converter = Options.DurationConverter.class,
            description = "no progress for this long counts as stuck in the status line (default 5s)")
    Duration stuckAfter = Duration.ofSeconds(5);

    @Option(names = "--watch-parent", description = "exit when the parent process exits")
    boolean watchParent;

    @Option(names = "--verbose", description = "also show the auth library's counters (lookups, joined lookups)")
    boolean verbose;

    private java.util.function.LongSupplier lookups = () -> 0;
    private java.util.function.LongSupplier joined = () -> 0;

    @Override
    public Integer call() throws Exception {
        CommandLine cmd = spec.commandLine();
        router.validate(cmd);
        if (!(rate > 0 && rate <= 100_000)) {
            throw new CommandLine.ParameterException(cmd, "--rate must be in (0, 100000], got " + rate);
        }
        if (tokens < 1) {
            throw new CommandLine.ParameterException(cmd, "--tokens must be >= 1, got " + tokens);
        }
        if (statusEvery.isZero() || timeout.isZero()) {
            throw new CommandLine.ParameterException(cmd, "--status-every and --timeout must be positive");
        }
        PrintWriter out = cmd.getOut();
        SampleServer server = SampleServer.start(router.toServerOptions().port(port).name("routerctl demo router"));
        LoadGenerator load;
        try {
            load = LoadGenerator.to("127.0.0.1", server.port()).rate(rate).tokens(tokens).timeout(timeout)
                    .duration(duration).start();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        Lifecycle lifecycle = new Lifecycle(() -> {
            load.close();
            server.close();
        });
        if (watchParent) {
            lifecycle.watchParent();
        }
        out.print(server.banner("routerctl demo"));
        out.println("  load      " + fmtRate(rate) + " req/s, " + tokens + " token" + (tokens == 1 ? "" : "s")
                + ", timeout " + fmt(timeout.toMillis()) + (duration != null ? ", for " + fmt(duration.toMillis()) : ""));
        out.println("  stop      Ctrl-C");
        out.flush();

        lookups = server.auth()::lookups;
        joined = server.auth()::coalesced;
        long started = System.nanoTime();
        long end = duration == null ? Long.MAX_VALUE : started + duration.toNanos();
        boolean stopRequested = false;
        while (System.nanoTime() < end) {
            long left = end - System.nanoTime();
            Duration wait = left < statusEvery.toNanos() ? Duration.ofNanos(Math.max(1, left)) : statusEvery;
            if (lifecycle.awaitStop(wait)) {
                stopRequested = true;
                break;
            }
            out.println(status(started, server.registry(), load.report()));
            out.flush();
        }
        if (!stopRequested) {
            load.stopSending();
            // Let the answered ones come back; what is still in flight a moment later is hung.
            load.awaitDone(Duration.ofSeconds(2));
            LoadReport r = load.report();
            TaskReport stuck = server.registry().query(TaskQuery.stuck(0, 1));
            out.println(status(started, server.registry(), r));
            out.printf(Locale.ROOT, "done: sent %d, answered %d, unanswered %d (%.2f%%), registry shows %d requests in flight%n",
                    r.sent(), r.ok() + r.otherStatus(), r.inFlight() + r.timedOut(),
                    r.sent() == 0 ? 0.0 : 100.0 * (r.inFlight() + r.timedOut()) / r.sent(), stuck.stuck());
            out.flush();
        }
        lifecycle.cleanUp();
        return 0;
    }

    private String status(long startedNanos, TaskRegistry registry, LoadReport load) {
        TaskReport report = registry.query(TaskQuery.stuck(stuckAfter.toMillis(), 1));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "[%4ds] in flight %d | stuck %d", (System.nanoTime() - startedNanos) / 1_000_000_000L,
                report.inFlight(), report.stuck()));
        String sep = ": ";
        for (StuckGroup g : report.groups()) {
            sb.append(sep).append(g.count()).append(' ').append(g.kind()).append(g.count() == 1 ? "" : "s");
            sb.append(g.waitingOn() != null ? " waiting on " + g.waitingOn() : " running");
            if (g.lastStep() != null) {
                sb.append(" after ").append(g.lastStep());
            }
            sb.append(" (oldest ").append(fmt(g.oldestMs())).append(')');
            sep = "; ";
        }
        sb.append(" | load ").append(load.line());
        if (verbose) {
            sb.append(" | auth lookups ").append(lookups.getAsLong()).append(" joined ").append(joined.getAsLong());
        }
        return sb.toString();
    }

    private static String fmt(long millis) {
        return millis < 1000 ? millis + "ms" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    private static String fmtRate(double r) {
        return r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r);
    }
}
