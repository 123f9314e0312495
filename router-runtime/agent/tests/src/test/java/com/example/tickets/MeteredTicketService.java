package com.example.tickets;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The ticket service with metrics, as a team adds them: a Prometheus registry added to Micrometer's
 * global registry, scraped at {@code /metrics} on its own port (printed as {@code metrics on PORT}).
 * It knows nothing of routerctl.
 */
public final class MeteredTicketService {

    private MeteredTicketService() {
    }

    public static void main(String[] args) throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.addRegistry(prometheus);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        http.createContext("/metrics", exchange -> {
            byte[] body = prometheus.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (exchange) {
                exchange.getResponseBody().write(body);
            }
        });
        http.start();
        System.out.println("metrics on " + http.getAddress().getPort());
        TicketService.main(args);
    }
}
