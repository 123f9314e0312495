package io.routerctl.attachtests;

import io.routerctl.attachtests.ServiceProcess.Netty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service with its own Micrometer (a Prometheus registry in the global one) and no routerctl:
 * attaching binds routerctl's meters to it, so the service's own scrape counts its hung requests;
 * detaching takes them away again.
 */
class MicrometerAttachTest {

    static final Pattern METRICS_PORT = Pattern.compile("(?m)^metrics on (\\d+)$");

    @TempDir
    Path attachDir;

    @Test
    void attachingBindsTheMetersToTheServicesOwnRegistryAndDetachingRemovesThem() throws Exception {
        Cli cli = new Cli(attachDir);
        try (ServiceProcess service = ServiceProcess.start("com.example.tickets.MeteredTicketService", Netty.V4_2,
                attachDir, List.of("-Drouterctl.metrics.olderThanMs=200", "-Drouterctl.metrics.refreshMs=100"),
                List.of("jackson", "micrometer"));
             Clients clients = new Clients(service.port())) {
            Matcher m = METRICS_PORT.matcher(service.output());
            assertThat(m.find()).as(service.output()).isTrue();
            URI scrape = URI.create("http://127.0.0.1:" + m.group(1) + "/metrics");
            assertThat(get(scrape)).doesNotContain("routerctl_");

            Cli.Result attach = cli.run("attach", Long.toString(service.pid()));
            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            assertThat(attach.out()).contains("meters bound to Micrometer's global registry");

            assertThat(clients.ask("/warm", "cached")).isEqualTo("HTTP/1.1 200 OK");
            clients.hang("/tickets/1", "cached");
            clients.hang("/tickets/2", "cached");
            String line = "routerctl_tasks_stuck{kind=\"request\",point=\"CompletableFuture from AuthAdapter.check(AuthAdapter.java:31)\"} 2.0";
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String body = get(scrape);
            while (!body.lines().anyMatch(line::equals) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                body = get(scrape);
            }
            assertThat(body).contains(line).contains("routerctl_tasks_inflight{kind=\"request\"} 2.0");

            Cli.Result detach = cli.run("detach", Long.toString(service.pid()));
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(get(scrape)).doesNotContain("routerctl_");
        }
    }

    private static String get(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
