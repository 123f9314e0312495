package io.routerctl.samples;

import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.Ticker;
import io.routerctl.runtime.RouterRuntime;
import io.routerctl.runtime.StepTracer;
import io.routerctl.samples.auth.AuthAdapter;
import io.routerctl.samples.auth.LatencyRange;
import io.routerctl.samples.auth.LegacyAuth;
import io.routerctl.samples.router.ReportRenderer;
import io.routerctl.samples.router.RouterPoints;
import io.routerctl.samples.router.SampleRouter;
import io.routerctl.samples.router.UpstreamBackend;
import io.routerctl.samples.trace.JfrStepTracer;
import io.routerctl.samples.trace.LogStepTracer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The sample router with everything it needs, started together: the legacy auth library, the
 * chosen adapter, the embedded upstream backend and the {@link RouterRuntime} serving
 * {@link SampleRouter}. {@link #close()} stops all of it (sockets closed, attach socket removed).
 *
 * <pre>{@code
 * try (SampleServer server = SampleServer.start(new SampleServer.Options().port(0).adapter("buggy"))) {
 *     System.out.print(server.banner("routerctl sample router"));
 *     ...
 * }
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * Options: one thread. A started server's accessors and {@link #close()} are safe from any thread.
 */
public final class SampleServer implements AutoCloseable {

    /** What to start. Defaults: 127.0.0.1:8080, one loop per core, buggy adapter, tracking on, 1..3 ms. */
    public static final class Options {
        String host = "127.0.0.1";
        int port = 8080;
        int loops = Runtime.getRuntime().availableProcessors();
        String adapter = "buggy";
        boolean tracking = true;
        LatencyRange authLatency = LatencyRange.parse("2ms..8ms");
        int authThreads = 2;
        String stepTrace = "none";
        Path stepLog;
        String name = "routerctl sample router";
        boolean attach = true;
        String misbehave = "none";
        Duration blockFor = Duration.ofSeconds(3);

        public Options host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        public Options port(int port) {
            this.port = port;
            return this;
        }

        public Options loops(int loops) {
            this.loops = loops;
            return this;
        }

        /** {@code buggy} or {@code fixed}. */
        public Options adapter(String adapter) {
            this.adapter = Objects.requireNonNull(adapter);
            return this;
        }

        public Options tracking(boolean tracking) {
            this.tracking = tracking;
            return this;
        }

        public Options authLatency(LatencyRange latency) {
            this.authLatency = Objects.requireNonNull(latency);
            return this;
        }

        public Options authThreads(int threads) {
            this.authThreads = threads;
            return this;
        }

        /** {@code none}, {@code log} or {@code jfr}. */
        public Options stepTrace(String mode) {
            this.stepTrace = Objects.requireNonNull(mode);
            return this;
        }

        /** Where {@code log}/{@code jfr} step traces go; default routerctl-steps.log / .jfr. */
        public Options stepLog(Path file) {
            this.stepLog = file;
            return this;
        }

        /** The name announced on the attach socket. */
        public Options name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /**
         * A second, switchable misbehaviour: {@code none} (default) or {@code block-loop}
         * ({@code GET /api/report} blocks its event loop for {@code blockFor}, default 3 s).
         */
        public Options misbehave(String misbehave, Duration blockFor) {
            if (!misbehave.equals("none") && !misbehave.equals("block-loop")) {
                throw new IllegalArgumentException("unknown misbehaviour '" + misbehave + "' (none or block-loop)");
            }
            this.misbehave = misbehave;
            this.blockFor = Objects.requireNonNull(blockFor);
            return this;
        }

        /** Start the attach server (default true). */
        public Options attach(boolean attach) {
            this.attach = attach;
            return this;
        }
    }

    private final Options options;
    private final LegacyAuth auth;
    private final AuthAdapter adapter;
    private final UpstreamBackend upstream;
    private final RouterRuntime runtime;
    private final AutoCloseable tracer;
    private boolean closed;

    private SampleServer(Options options, LegacyAuth auth, AuthAdapter adapter, UpstreamBackend upstream,
                         RouterRuntime runtime, AutoCloseable tracer) {
        this.options = options;
        this.auth = auth;
        this.adapter = adapter;
        this.upstream = upstream;
        this.runtime = runtime;
        this.tracer = tracer;
    }

    /** Starts everything; on failure closes what was started and rethrows. */
    public static SampleServer start(Options o) throws IOException {
        LegacyAuth auth = new LegacyAuth(o.authThreads, o.authLatency);
        AuthAdapter adapter;
        UpstreamBackend upstream = null;
        AutoCloseable tracerToClose = null;
        try {
            adapter = AuthAdapter.named(o.adapter, auth, RouterPoints.AUTH);
            StepTracer tracer = StepTracer.NONE;
            switch (o.stepTrace) {
                case "none" -> { }
                case "log" -> {
                    LogStepTracer t = new LogStepTracer(o.stepLog != null ? o.stepLog : Path.of("routerctl-steps.log"));
                    tracer = t;
                    tracerToClose = t;
                }
                case "jfr" -> {
                    JfrStepTracer t = new JfrStepTracer(o.stepLog != null ? o.stepLog : Path.of("routerctl-steps.jfr"));
                    tracer = t;
                    tracerToClose = t;
                }
                default -> throw new IllegalArgumentException("unknown step trace '" + o.stepTrace + "' (none, log or jfr)");
            }
            upstream = UpstreamBackend.start();
            RouterRuntime runtime = RouterRuntime.builder()
                    .host(o.host).port(o.port).loops(o.loops)
                    .registry(new TaskRegistry(Ticker.system(), o.tracking))
                    .name(o.name)
                    .attach(o.attach)
                    .stepTracer(tracer)
                    .handler(new SampleRouter(adapter, upstream.address(),
                            o.misbehave.equals("block-loop") ? new ReportRenderer(o.blockFor) : null))
                    .start();
            return new SampleServer(o, auth, adapter, upstream, runtime, tracerToClose);
        } catch (IOException | RuntimeException e) {
            auth.close();
            if (upstream != null) {
                upstream.close();
            }
            closeQuietly(tracerToClose);
            throw e;
        }
    }

    public RouterRuntime runtime() {
        return runtime;
    }

    public TaskRegistry registry() {
        return runtime.registry();
    }

    public UpstreamBackend upstream() {
        return upstream;
    }

    public LegacyAuth auth() {
        return auth;
    }

    public int port() {
        return runtime.port();
    }

    /** {@code buggy} or {@code fixed}. */
    public String adapterName() {
        return adapter.name();
    }

    /** The start block: router URL, loops, transport, adapter, upstream, pid, attach socket. */
    public String banner(String title) {
        String attach = runtime.attachSocket().map(Path::toString)
                .orElse("(not available: " + runtime.attachError().orElse("unknown") + ")");
        return title + "\n"
                + "  router    http://" + runtime.host() + ":" + runtime.port() + "  (" + runtime.loopCount()
                + " event loop" + (runtime.loopCount() == 1 ? "" : "s") + ", " + runtime.transport()
                + ", auth adapter: " + adapter.name() + ")\n"
                + "  auth      latency " + auth.latency() + ", " + options.authThreads + " thread"
                + (options.authThreads == 1 ? "" : "s") + ", tracking " + (options.tracking ? "on" : "off")
                + (options.stepTrace.equals("none") ? "" : ", step trace " + options.stepTrace) + "\n"
                + (options.misbehave.equals("none") ? "" : "  misbehave " + options.misbehave + ": GET "
                        + ReportRenderer.PATH + " blocks its event loop for " + options.blockFor.toMillis() + " ms\n")
                + "  upstream  " + upstream.address().getAddress().getHostAddress() + ":" + upstream.address().getPort() + "\n"
                + "  pid       " + ProcessHandle.current().pid() + "\n"
                + "  attach    " + attach + "\n";
    }

    /** Stops the router (closing its connections and the attach socket), the upstream and the library. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        runtime.close();
        upstream.close();
        auth.close();
        closeQuietly(tracer);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing on the way out; nothing useful to do with a failure here
            }
        }
    }
}
