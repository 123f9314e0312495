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
            // A compose whose inner future (made in the first one's callback) the feed drops.
            Set<Integer> composed = new HashSet<>();
            // Read before the attach: its decoder keeps no count, Vert.x's connection knows it.
            int early = clients.hang("/prices/HALT?n=early", "-");
            hung.add(early);
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
                    assertThat(clients.ask("/spreads/S" + i, "-")).isEqualTo("HTTP/1.1 200 OK");
                    composed.add(clients.hang("/spreads/HALT?n=" + i, "-"));
                }
                hung.addAll(composed);
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
            String one = null;
            for (JsonNode t : doc.get("tasks")) {
                assertThat(t.get("kind").asText()).isEqualTo("request");
                if (composed.contains(AttachToTicketServiceTest.remotePort(t))) {
                    // It waited on the feed's first promise, then, that one completed, on its own
                    // composed future, which went with the inner one its callback made.
                    assertThat(t.get("label").asText()).as(t.toString()).isEqualTo("GET /spreads/HALT");
                    assertThat(t.get("waiting_on").asText()).as(t.toString())
                            .startsWith("Future.compose from PriceService.").contains("(PriceService.java:");
                    continue;
                }
                assertThat(t.get("label").asText()).as(t.toString()).isEqualTo("GET /prices/HALT");
                if (AttachToTicketServiceTest.remotePort(t) == early) {
                    // Its promise was made before the agent came: it waits after Vert.x's handler,
                    // its age counted from the attach.
                    assertThat(t.get("age_at_least").asBoolean()).as(t.toString()).isTrue();
                    assertThat(t.get("waiting_on").asText()).as(t.toString()).startsWith("after ");
                    continue;
                }
                assertThat(t.get("age_at_least").asBoolean()).as(t.toString()).isFalse();
                assertThat(t.get("waiting_on").asText()).as(t.toString())
                        .startsWith("Promise from PriceFeedClient.price(PriceFeedClient.java:");
                one = t.get("id").asText();
            }
            assertThat(AttachToTicketServiceTest.steps(cli, service.pid(), one)).as("the steps of hung request %s", one)
                    .contains("route /prices/:symbol (PriceService lambda)");

            Set<Integer> linked = new HashSet<>(hung);
            linked.remove(early);
            assertThat(AttachToTicketServiceTest.provenLost(cli, service.pid())).isEqualTo(linked);

            FromOutside outside = new FromOutside(service.pid(), work);
            Cli.Result detach = cli.run("detach", Long.toString(service.pid()));
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(outside.codeOf(PROMISE)).as("Vert.x's promise runs its own code again")
                    .containsEntry(PROMISE, "clean");
            assertThat(clients.ask("/prices/AFTER", "-")).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    /**
     * HTTP/2 on Vert.x, which adds its HTTP/2 codec only after the first bytes: with prior
     * knowledge (the first request is read before the codec is there) and by an h2c upgrade (the
     * first request is HTTP/1 and goes on as stream 1). Hung requests of both kinds are labelled,
     * wait on their Promise and are proven lost; answered ones (and later streams) are not listed.
     */
    @Test
    void http2RequestsWithPriorKnowledgeOrAnUpgradeAreLabelledAndProvenLost() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Http2StreamsTest.curlSpeaksHttp2(),
                "needs curl built with HTTP/2 (nghttp2) as the client");
        Cli cli = new Cli(attachDir);
        List<Process> curls = new ArrayList<>();
        try (ServiceProcess service = ServiceProcess.start("com.example.prices.PriceService", Netty.V4_2, attachDir,
                List.of(), List.of("vertx"))) {
            Cli.Result attach = cli.run("attach", Long.toString(service.pid()));
            assertThat(attach.exitCode()).as(attach + service.output()).isZero();
            java.net.http.HttpClient h2 = java.net.http.HttpClient.newBuilder()
                    .version(java.net.http.HttpClient.Version.HTTP_2).build(); // h2c by upgrade, then streams
            for (int i = 0; i < 20; i++) {
                java.net.http.HttpResponse<String> r = h2.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + service.port() + "/prices/H" + i)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
            Set<Integer> hung = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                for (String mode : List.of("--http2-prior-knowledge", "--http2")) {
                    int port = FIRST_CURL_PORT + hung.size();
                    curls.add(new ProcessBuilder("curl", "-s", mode, "--max-time", "60", "--local-port", Integer.toString(port),
                            "http://127.0.0.1:" + service.port() + "/prices/HALT?n=" + i).redirectErrorStream(true).start());
                    hung.add(port);
                }
            }
            JsonNode doc = AttachToTicketServiceTest.pollStuck(cli, service.pid(),
                    tasks -> AttachToTicketServiceTest.remotePorts(tasks).equals(hung)
                            && java.util.stream.StreamSupport.stream(tasks.spliterator(), false)
                            .allMatch(t -> t.get("waiting_on").asText().startsWith("Promise")));
            for (JsonNode t : doc.get("tasks")) {
                assertThat(t.get("kind").asText()).isEqualTo("request");
                assertThat(t.get("label").asText()).as(t.toString()).isEqualTo("GET /prices/HALT");
                assertThat(t.get("age_at_least").asBoolean()).as(t.toString()).isFalse();
                assertThat(t.get("waiting_on").asText()).as(t.toString())
                        .startsWith("Promise from PriceFeedClient.price(PriceFeedClient.java:");
            }
            assertThat(AttachToTicketServiceTest.provenLost(cli, service.pid())).isEqualTo(hung);
        } finally {
            for (Process p : curls) {
                p.destroyForcibly();
            }
        }
    }

    /** Source ports of the curl clients (four, from here). */
    static final int FIRST_CURL_PORT = 45_421;
}
