package io.routerctl.attachtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.attachtests.ServiceProcess.Netty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Vert.x 5 web service ({@code com.example.prices}: a route completing a {@code Promise} from a
 * callback feed that drops halted symbols), started without routerctl and attached to under load:
 * dump-stuck lists exactly the hung requests (answered keep-alive requests end, although Vert.x
 * encodes responses in a handler of its own), labelled with method and path although Vert.x puts
 * its HTTP codec in only after the first bytes, waiting where the application made the promise,
 * and each a proven lost wake-up after a GC; detach gives Vert.x its own code back.
 */
class VertxTest {

    static final String PROMISE = "io.vertx.core.impl.future.PromiseImpl";
    static final int HUNG = 3;

    @TempDir
    Path attachDir;

    @TempDir
    Path work;

    @Test
    void hungRequestsOfAVertxServiceAreLabelledWaitingOnTheirPromiseAndProvenLost() throws Exception {
        Cli cli = new Cli(attachDir);
        try (ServiceProcess service = ServiceProcess.start("com.example.prices.PriceService", Netty.V4_2, attachDir,
                List.of(), List.of("vertx"));
             Clients clients = new Clients(service.port())) {
            assertThat(clients.ask("/prices/ACME", "-")).as(service.output()).isEqualTo("HTTP/1.1 200 OK");
            ExecutorService load = Executors.newFixedThreadPool(4);
            Set<Integer> hung = new HashSet<>();
            try {
                List<Future<String>> answered = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    String symbol = "S" + i;
                    answered.add(load.submit(() -> clients.ask("/prices/" + symbol, "-")));
                }
                Cli.Result attach = cli.run("attach", Long.toString(service.pid()));
                assertThat(attach.exitCode()).as(attach + service.output()).isZero();
                for (int i = 0; i < HUNG; i++) {
                    hung.add(clients.hang("/prices/HALT?n=" + i, "-"));
                }
                for (Future<String> f : answered) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo("HTTP/1.1 200 OK");
                }
            } finally {
                load.shutdownNow();
            }

            // Keep-alive requests on one connection: Vert.x's response encoder is a handler of its own
            // after its request decoder, and each answered request must end (none is listed below).
            java.net.http.HttpClient keepAlive = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 50; i++) {
                java.net.http.HttpResponse<String> r = keepAlive.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + service.port() + "/prices/K" + i)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }

            JsonNode doc = AttachToTicketServiceTest.pollStuck(cli, service.pid(),
                    tasks -> AttachToTicketServiceTest.remotePorts(tasks).equals(hung));
            for (JsonNode t : doc.get("tasks")) {
                assertThat(t.get("kind").asText()).isEqualTo("request");
                assertThat(t.get("label").asText()).as(t.toString()).isEqualTo("GET /prices/HALT");
                assertThat(t.get("waiting_on").asText()).as(t.toString())
                        .startsWith("Promise from PriceFeedClient.price(PriceFeedClient.java:");
            }
            String one = doc.get("tasks").get(0).get("id").asText();
            assertThat(AttachToTicketServiceTest.steps(cli, service.pid(), one)).as("the steps of hung request %s", one)
                    .contains("route /prices/:symbol (PriceService lambda)");

            assertThat(AttachToTicketServiceTest.provenLost(cli, service.pid())).isEqualTo(hung);

            FromOutside outside = new FromOutside(service.pid(), work);
            Cli.Result detach = cli.run("detach", Long.toString(service.pid()));
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(outside.codeOf(PROMISE)).as("Vert.x's promise runs its own code again")
                    .containsEntry(PROMISE, "clean");
            assertThat(clients.ask("/prices/AFTER", "-")).isEqualTo("HTTP/1.1 200 OK");
        }
    }
}
