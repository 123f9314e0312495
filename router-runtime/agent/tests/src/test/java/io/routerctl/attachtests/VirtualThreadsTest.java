package io.routerctl.attachtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.attachtests.ServiceProcess.Netty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A Netty service that hands every request to a virtual thread, which blocks on a lossy future
 * adapter ({@code com.example.bars}), on each Java 21+ runtime installed beside the tests' own (the
 * test says it was skipped where there is none), started without routerctl and attached to under
 * load: every hung request, and only those, is listed with its virtual thread, parked in the
 * application's own frame; and once the clients hang up, the threads stay listed as orphans with
 * the addresses they served.
 */
class VirtualThreadsTest {

    static final String MAIN = "com.example.bars.BarsService";
    static final int HUNG = 20;
    /** Where the JDK makes every virtual thread: the one class the agent changes for them. */
    static final String BUILDERS = "java.lang.ThreadBuilders";

    @TempDir
    Path work;

    @TempDir
    Path attachDir;

    static java.util.stream.Stream<Path> newerJdks() throws java.io.IOException {
        return NewerJdkAttachTest.newerJdks();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("newerJdks")
    void hungRequestsAreListedWithTheirParkedThreadsWhichStayAsOrphans(Path jdk) throws Exception {
        assumeTrue(jdk != null, "no Java 21+ runtime under " + NewerJdkAttachTest.JDKS
                + ": the virtual-thread service was not tried here");
        Cli cli = new Cli(attachDir);
        try (ServiceProcess service = ServiceProcess.start(jdk, MAIN, Netty.V4_2, attachDir, List.of(), List.of(),
                List.of());
             Clients clients = new Clients(service.port())) {
            assertThat(clients.ask("/warm", "cached")).as(service.output()).isEqualTo("HTTP/1.1 200 OK");
            ExecutorService load = Executors.newFixedThreadPool(4);
            Set<Integer> hung = new HashSet<>();
            try {
                List<Future<String>> answered = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    String token = "fresh-" + i;
                    answered.add(load.submit(() -> clients.ask("/bars/" + token, token)));
                }
                Cli.Result attach = cli.run("attach", Long.toString(service.pid()));
                assertThat(attach.exitCode()).as(attach + service.output()).isZero();
                assertThat(outside(service).codeOf(BUILDERS)).containsEntry(BUILDERS, "hooked");
                for (int i = 0; i < HUNG; i++) {
                    hung.add(clients.hang("/bars/hung-" + i, "cached"));
                }
                for (Future<String> f : answered) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo("HTTP/1.1 200 OK");
                }
            } finally {
                load.shutdownNow();
            }

            // Every hung request with its thread, nothing else: the answered requests' threads ended.
            JsonNode doc = AttachToTicketServiceTest.pollStuck(cli, service.pid(),
                    tasks -> ports(tasks, "request").equals(hung) && ports(tasks, "thread").equals(hung));
            JsonNode tasks = doc.get("tasks");
            assertThat(tasks).hasSize(2 * HUNG);
            for (JsonNode t : tasks) {
                assertThat(t.get("local").asText()).isEqualTo("127.0.0.1:" + service.port());
                if (t.get("kind").asText().equals("request")) {
                    assertThat(t.get("label").asText()).startsWith("GET /bars/hung-");
                    assertThat(t.get("waiting_on").asText()).isEqualTo("thread from BarsHandler (bars)");
                } else {
                    assertThat(t.get("label").asText()).startsWith("virtual thread #");
                    assertThat(t.get("state").asText()).isEqualTo("waiting");
                    assertThat(t.get("waiting_on").asText()).isEqualTo("CompletableFuture.get");
                    assertThat(t.get("waiting_at").asText()).startsWith("BarsHandler.serve(BarsHandler.java:");
                    assertThat(t.get("parent").asLong()).as("the thread's parent is its request")
                            .isEqualTo(requestOn(tasks, AttachToTicketServiceTest.remotePort(t)).get("id").asLong());
                    assertThat(t.get("warnings")).isEmpty();
                }
            }
            assertThat(groupText(doc, "thread")).startsWith(HUNG + " threads parked in CompletableFuture.get at "
                    + "BarsHandler.serve(BarsHandler.java:").contains("a GC cannot prove them lost");

            // The clients give up: the requests end, their threads stay parked, as orphans.
            clients.close();
            JsonNode after = AttachToTicketServiceTest.pollStuck(cli, service.pid(),
                    t -> ports(t, "request").isEmpty() && orphans(t).equals(hung));
            assertThat(ports(after.get("tasks"), "thread")).isEqualTo(hung);
            assertThat(groupText(after, "thread")).contains("all orphaned: their requests ended, the threads live on");

            Cli.Result detach = cli.run("detach", Long.toString(service.pid()));
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            FromOutside outside = outside(service);
            assertThat(outside.codeOf(BUILDERS)).as("the JDK's thread builders run their own code again")
                    .containsEntry(BUILDERS, "clean");
            Poll.until(java.time.Duration.ofSeconds(20), "no routerctl thread after the detach",
                    () -> outside.routerctlThreads().isEmpty());
            try (Clients again = new Clients(service.port())) {
                assertThat(again.ask("/after-detach", "fresh-after-detach")).isEqualTo("HTTP/1.1 200 OK");
            }
        }
    }

    private FromOutside outside(ServiceProcess service) {
        return new FromOutside(service.pid(), work);
    }

    private static Set<Integer> ports(JsonNode tasks, String kind) {
        return select(tasks, t -> t.get("kind").asText().equals(kind));
    }

    private static Set<Integer> orphans(JsonNode tasks) {
        return select(tasks, t -> t.get("kind").asText().equals("thread")
                && t.get("warnings").toString().contains("\"orphaned\""));
    }

    private static Set<Integer> select(JsonNode tasks, Predicate<JsonNode> which) {
        Set<Integer> out = new HashSet<>();
        for (JsonNode t : tasks) {
            if (which.test(t)) {
                out.add(AttachToTicketServiceTest.remotePort(t));
            }
        }
        return out;
    }

    private static JsonNode requestOn(JsonNode tasks, int port) {
        for (JsonNode t : tasks) {
            if (t.get("kind").asText().equals("request") && AttachToTicketServiceTest.remotePort(t) == port) {
                return t;
            }
        }
        throw new AssertionError("no request from port " + port + " in " + tasks);
    }

    private static String groupText(JsonNode doc, String kind) {
        for (JsonNode g : doc.get("summary").get("groups")) {
            if (g.get("kind").asText().equals(kind)) {
                return g.get("text").asText();
            }
        }
        throw new AssertionError("no group of " + kind + " in " + doc);
    }
}
