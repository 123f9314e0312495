package io.routerctl.samples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.micrometer.RouterctlMetrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The sample's Prometheus endpoint, as a service would have one: a Micrometer Prometheus registry
 * with routerctl's meters ({@link RouterctlMetrics}) bound to it, scraped at {@code GET /metrics}
 * on its own port and thread, away from the router's event loops.
 *
 * <h2>Thread safety</h2>
 * Start and close on one thread; requests are served on the endpoint's own thread.
 */
final class MetricsEndpoint implements AutoCloseable {

    private final HttpServer http;
    private final RouterctlMetrics metrics;

    private MetricsEndpoint(HttpServer http, RouterctlMetrics metrics) {
        this.http = http;
        this.metrics = metrics;
    }

    /** Serves {@code registry}'s meters at {@code http://host:port/metrics}. */
    static MetricsEndpoint start(TaskRegistry registry, String host, int port) throws IOException {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(prometheus);
        RouterctlMetrics metrics = new RouterctlMetrics(registry);
        metrics.bindTo(prometheus);
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 16);
        http.createContext("/metrics", exchange -> serve(exchange, prometheus));
        http.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sample-metrics");
            t.setDaemon(true);
            return t;
        }));
        http.start();
        return new MetricsEndpoint(http, metrics);
    }

    private static void serve(HttpExchange exchange, PrometheusMeterRegistry prometheus) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) || !"/metrics".equals(exchange.getRequestURI().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = prometheus.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The port it listens on. */
    int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        metrics.close();
        http.stop(0);
    }
}
