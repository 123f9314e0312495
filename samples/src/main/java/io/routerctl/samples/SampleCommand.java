package io.routerctl.samples;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code routerctl sample}: the sample router with its embedded upstream, in the foreground, for
 * people who bring their own load (curl, wrk). Stops on Ctrl-C / SIGTERM.
 *
 * <h2>Thread safety</h2>
 * Run once, on the main thread.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the sample router (with its embedded upstream backend) in the foreground.",
                "GET /api/<anything> with 'Authorization: Bearer <token>' is authenticated through the legacy "
                        + "auth library, forwarded upstream and answered; 401 without a token, 403 for tokens "
                        + "starting with deny-, 404 elsewhere.",
                "",
                "Two pathologies: --auth-adapter buggy (the default) loses wake-ups under load; "
                        + "--misbehave block-loop makes GET /api/report render a report on the event loop, "
                        + "blocking that loop for --block-for (routerctl dump-stuck then names the blocked loop)."},
        footer = {"",
                "Examples:",
                "  routerctl sample",
                "  routerctl sample --port 9090 --auth-adapter fixed",
                "  routerctl sample --loops 1 --auth-latency 0 --tracking off",
                "  routerctl sample --tracking off --step-trace log --step-log /tmp/steps.log",
                "  routerctl sample --misbehave block-loop --block-for 3s",
                "  curl http://127.0.0.1:8080/api/report    # blocks a loop",
                "  routerctl dump-stuck --older-than 1s     # names the blocked loop",
                "  curl -H 'Authorization: Bearer tok-1' http://127.0.0.1:8080/api/items/1",
                "  routerctl sample --metrics-port 9464     # and curl http://127.0.0.1:9464/metrics",
                "  wrk -t2 -c64 -d30s -H 'Authorization: Bearer tok-1' http://127.0.0.1:8080/api/items/1"})
final class SampleCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "address to listen on (default ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(names = "--port", paramLabel = "PORT", description = "port to listen on, 0 for any (default ${DEFAULT-VALUE})")
    int port = 8080;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "also serve routerctl's meters in the Prometheus format at http://HOST:PORT/metrics "
                    + "(through Micrometer; 0 for any port; default: no endpoint)")
    Integer metricsPort;

    @CommandLine.Mixin
    Options.RouterOptions router = new Options.RouterOptions();

    @Override
    public Integer call() throws Exception {
        router.validate(spec.commandLine());
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535, got " + port);
        }
        if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--metrics-port must be 0..65535, got " + metricsPort);
        }
        PrintWriter out = spec.commandLine().getOut();
        SampleServer server = SampleServer.start(router.toServerOptions().host(host).port(port));
        MetricsEndpoint endpoint;
        try {
            endpoint = metricsPort == null ? null : MetricsEndpoint.start(server.registry(), host, metricsPort);
        } catch (IOException e) {
            server.close();
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "cannot serve metrics on " + host + ":" + metricsPort + ": " + e.getMessage());
        }
        Lifecycle lifecycle = new Lifecycle(() -> {
            if (endpoint != null) {
                endpoint.close();
            }
            server.close();
        });
        out.print(server.banner("routerctl sample router"));
        if (endpoint != null) {
            out.println("  metrics   http://" + host + ":" + endpoint.port() + "/metrics");
        }
        out.println("  stop      Ctrl-C");
        out.flush();
        lifecycle.awaitStop();
        lifecycle.cleanUp();
        return 0;
    }
}
