package io.routerctl.attachtests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring Boot WebFlux app (webflux-app: a controller, the team's {@code Mono.create} client of a
 * callback feed that drops the callbacks of a halted symbol), run from its fat jar as its own JVM
 * without routerctl and attached to under load from real clients: dump-stuck lists exactly the hung
 * requests, with their path, the application's line where the {@code Mono} was made, its filter and
 * controller among their steps, and, after a GC, each a proven lost wake-up; detach gives Reactor
 * its own code back.
 */
class WebFluxTest {

    static final Path APP = Path.of(System.getProperty("attachtests.webflux", "webflux-app/target/quotes.jar"));
    static final String MONO_CREATE = "reactor.core.publisher.MonoCreate";
    static final int HUNG = 5;

    @TempDir
    Path attachDir;

    @TempDir
    Path work;

    @Test
    void hungRequestsOfASpringBootWebFluxAppAreListedWhereTheirMonoWasMadeAndProvenLost() throws Exception {
        assertThat(APP).as("the app's fat jar (built by webflux-app)").exists();
        Cli cli = new Cli(attachDir);
        try (ServiceProcess service = ServiceProcess.run(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx256m", "-jar", APP.toString(), "--server.port=0", "--server.address=127.0.0.1",
                        "--spring.main.banner-mode=off"),
                Map.of("ROUTERCTL_ATTACH_DIR", attachDir.toString()));
             Clients clients = new Clients(service.port())) {
            assertThat(clients.ask("/quotes/ACME", "-")).as(service.output()).isEqualTo("HTTP/1.1 200 OK");
            ExecutorService load = Executors.newFixedThreadPool(4);
            Set<Integer> hung = new HashSet<>();
            long attachMs;
            try {
                List<Future<String>> answered = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    String symbol = "S" + i;
                    answered.add(load.submit(() -> clients.ask("/quotes/" + symbol, "-")));
                }
                long start = System.nanoTime();
                Cli.Result attach = cli.run("attach", Long.toString(service.pid()));
                attachMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(attach.exitCode()).as(attach + service.output()).isZero();
                assertThat(attach.out()).doesNotContain("could not be instrumented");
                for (int i = 0; i < HUNG; i++) {
                    hung.add(clients.hang("/quotes/HALT?n=" + i, "-"));
                }
                for (Future<String> f : answered) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo("HTTP/1.1 200 OK");
                }
            } finally {
                load.shutdownNow();
            }
            System.out.println("attach under load took " + attachMs + " ms");

            JsonNode doc = AttachToTicketServiceTest.pollStuck(cli, service.pid(),
                    tasks -> AttachToTicketServiceTest.remotePorts(tasks).equals(hung));
            for (JsonNode t : doc.get("tasks")) {
                assertThat(t.get("kind").asText()).isEqualTo("request");
                assertThat(t.get("label").asText()).isEqualTo("GET /quotes/HALT");
                assertThat(t.get("waiting_on").asText()).as(t.toString())
                        .startsWith("Mono.create from QuoteClient.quote(QuoteClient.java:");
            }

            String one = doc.get("tasks").get(0).get("id").asText();
            assertThat(AttachToTicketServiceTest.steps(cli, service.pid(), one)).as("the steps of hung request %s", one)
                    .containsSubsequence("AuditFilter (web filter)", "QuoteController.quote (controller)");

            assertThat(AttachToTicketServiceTest.provenLost(cli, service.pid())).isEqualTo(hung);

            FromOutside outside = new FromOutside(service.pid(), work);
            Cli.Result detach = cli.run("detach", Long.toString(service.pid()));
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(outside.codeOf(MONO_CREATE)).as("Reactor's MonoCreate runs its own code again")
                    .containsEntry(MONO_CREATE, "clean");
            assertThat(clients.ask("/quotes/AFTER", "-")).isEqualTo("HTTP/1.1 200 OK");
            assertThat(Files.size(APP)).as("a fat jar, not a thin one").isGreaterThan(10_000_000L);
        }
    }
}
