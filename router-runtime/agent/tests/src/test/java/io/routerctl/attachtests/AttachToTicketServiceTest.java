package io.routerctl.attachtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.attachtests.ServiceProcess.Netty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
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

/**
 * routerctl on a service it has never seen: the ticket service (its own pipeline, its own adapter
 * that drops the answer for a token the auth library has cached) runs on Netty 4.2 or 4.1 without
 * routerctl, under load; requests with a cached token hang, from known source ports, some before
 * the attach and some after. The hung ones, and only they, are what dump-stuck lists, each naming
 * the service's handler; {@code --gc} proves the lost wake-ups of the futures it saw created;
 * detach leaves the service serving, and it can be attached again.
 */
class AttachToTicketServiceTest {

    static final String MAIN = "com.example.tickets.TicketService";
    static final String HANDLER = "TicketHandler (ticket)";
    /** Where the adapter makes the future a hung request waits on: learned once, shown by default. */
    static final String SITE = "CompletableFuture from AuthAdapter.check(AuthAdapter.java:31)";

    @TempDir
    Path attachDir;

    @ParameterizedTest
    @EnumSource(value = Netty.class, names = {"V4_2", "V4_1"})
    void attachedToARunningServiceItListsExactlyTheHungRequests(Netty netty) throws Exception {
        Cli cli = new Cli(attachDir);
        try (ServiceProcess service = ServiceProcess.start(MAIN, netty, attachDir, List.of());
             Clients clients = new Clients(service.port())) {
            assertThat(clients.ask("/warm", "cached")).as(service.output()).isEqualTo("HTTP/1.1 200 OK");
            ExecutorService load = Executors.newFixedThreadPool(4);
            try {
                List<Future<String>> answered = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    String token = "fresh-" + i;
                    answered.add(load.submit(() -> clients.ask("/tickets/" + token + "?x=1", token)));
                }
                Set<Integer> hungBefore = new HashSet<>();
                for (int i = 0; i < 2; i++) {
                    hungBefore.add(clients.hang("/tickets/before-" + i + "?x=1", "cached"));
                }
                Cli.Result attach = cli.run("attach", Long.toString(service.pid()));
                assertThat(attach.exitCode()).as(attach.toString()).isZero();
                assertThat(attach.out()).startsWith("attached to " + service.pid() + " in ")
                        .contains("channels open", "socket " + attachDir);
                Set<Integer> hungAfter = new HashSet<>();
                for (int i = 0; i < 3; i++) {
                    hungAfter.add(clients.hang("/tickets/after-" + i + "?x=1", "cached"));
                }
                for (Future<String> f : answered) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo("HTTP/1.1 200 OK");
                }

                Set<Integer> hung = new HashSet<>(hungBefore);
                hung.addAll(hungAfter);
                JsonNode doc = pollStuck(cli, service.pid(), tasks -> remotePorts(tasks).equals(hung));
                JsonNode tasks = doc.get("tasks");
                assertThat(remotePorts(tasks)).isEqualTo(hung);
                for (JsonNode t : tasks) {
                    assertThat(t.get("kind").asText()).isEqualTo("request");
                    assertThat(t.get("remote").asText()).startsWith("127.0.0.1:");
                    assertThat(t.get("local").asText()).isEqualTo("127.0.0.1:" + service.port());
                    int port = remotePort(t);
                    if (hungAfter.contains(port)) {
                        assertThat(t.get("label").asText()).startsWith("GET /tickets/after-").doesNotContain("?");
                        assertThat(t.get("last_step").asText()).isEqualTo(HANDLER + " returned");
                        assertThat(t.get("waiting_on").asText()).isEqualTo(SITE);
                        assertThat(t.get("age_at_least").asBoolean()).isFalse();
                    } else {
                        assertThat(t.get("label").asText()).isEqualTo("read before attach");
                        assertThat(t.get("age_at_least").asBoolean()).as("its age counts from the attach").isTrue();
                        assertThat(t.get("waiting_on").asText()).isEqualTo("after " + HANDLER);
                    }
                }

                assertThat(provenLost(cli, service.pid()))
                        .as("the futures created after the attach are proven lost").isEqualTo(hungAfter);

                Cli.Result detach = cli.run("detach", Long.toString(service.pid()));
                assertThat(detach.exitCode()).as(detach.toString()).isZero();
                assertThat(detach.out()).contains("detached", "attach socket closed");
                assertThat(attachDir.resolve(service.pid() + ".sock")).doesNotExist();
                assertThat(clients.ask("/after-detach", "fresh-after-detach")).isEqualTo("HTTP/1.1 200 OK");

                Cli.Result again = cli.run("attach", Long.toString(service.pid()));
                assertThat(again.exitCode()).as(again.toString()).isZero();
                JsonNode reattached = pollStuck(cli, service.pid(), t -> remotePorts(t).equals(hung));
                for (JsonNode t : reattached.get("tasks")) {
                    assertThat(t.get("label").asText()).isEqualTo("read before attach");
                }
                assertThat(clients.ask("/after-reattach", "fresh-after-reattach")).isEqualTo("HTTP/1.1 200 OK");
                assertThat(service.isAlive()).isTrue();
            } finally {
                load.shutdownNow();
            }
        }
    }

    @Test
    void withTheAgentAtStartUpEveryRequestIsTrackedFromTheStart() throws Exception {
        Cli cli = new Cli(attachDir);
        String agent = "-javaagent:" + System.getProperty("routerctl.agent.jar") + "=name=tickets";
        try (ServiceProcess service = ServiceProcess.start(MAIN, Netty.V4_2, attachDir, List.of(agent));
             Clients clients = new Clients(service.port())) {
            assertThat(clients.ask("/warm", "cached")).isEqualTo("HTTP/1.1 200 OK");
            Set<Integer> hung = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                hung.add(clients.hang("/tickets/" + i, "cached"));
            }
            JsonNode doc = pollStuck(cli, service.pid(), tasks -> remotePorts(tasks).equals(hung));
            assertThat(doc.get("target").get("name").asText()).isEqualTo("tickets");
            for (JsonNode t : doc.get("tasks")) {
                assertThat(t.get("last_step").asText()).isEqualTo(HANDLER + " returned");
                assertThat(t.get("waiting_on").asText()).isEqualTo(SITE);
            }
            Cli.Result loops = cli.run("loops", "--pid", Long.toString(service.pid()));
            assertThat(loops.out()).contains("routerctl in this process: agent, Netty 4.2.");

            // Deep sites, switched on for a while by attaching again: the future's creator by frame.
            Cli.Result sites = cli.run("attach", Long.toString(service.pid()), "--sites");
            assertThat(sites.exitCode()).as(sites.toString()).isZero();
            assertThat(sites.out()).contains("already attached", "deep sites on");
            int deep = clients.hang("/tickets/deep", "cached");
            JsonNode withSite = pollStuck(cli, service.pid(), tasks -> remotePorts(tasks).contains(deep));
            for (JsonNode t : withSite.get("tasks")) {
                if (remotePort(t) == deep) {
                    assertThat(t.get("waiting_on").asText())
                            .startsWith("CompletableFuture from AuthAdapter.check(AuthAdapter.java:");
                }
            }
        }
    }

    /** dump-stuck --json until {@code done} holds for its tasks (10 s at most); the last answer. */
    static JsonNode pollStuck(Cli cli, long pid, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Cli.Result r;
        do {
            r = cli.run("dump-stuck", "--pid", Long.toString(pid), "--older-than", "200ms", "--json");
            if (r.exitCode() == 0 && done.test(r.json().get("tasks"))) {
                return r.json();
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("dump-stuck never showed what was expected; last:\n" + r);
    }

    /** The names of the steps of task {@code id} of {@code pid}, in order ({@code task --json}'s timeline). */
    static List<String> steps(Cli cli, long pid, String id) throws Exception {
        Cli.Result r = cli.run("task", id, "--pid", Long.toString(pid), "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> names = new ArrayList<>();
        r.json().get("timeline").forEach(s -> names.add(s.get("name").asText()));
        return names;
    }

    /**
     * The remote ports of the stuck tasks that a full GC in the target proves lost wake-ups
     * ({@code dump-stuck --gc}); fails if the command does.
     */
    static Set<Integer> provenLost(Cli cli, long pid) throws Exception {
        Cli.Result gc = cli.run("dump-stuck", "--pid", Long.toString(pid), "--older-than", "200ms", "--gc", "--json");
        assertThat(gc.exitCode()).as(gc.toString()).isZero();
        Set<Integer> proven = new HashSet<>();
        for (JsonNode t : gc.json().get("tasks")) {
            for (JsonNode w : t.get("warnings")) {
                if (w.asText().equals("lost-wakeup")) {
                    proven.add(remotePort(t));
                }
            }
        }
        return proven;
    }

    static Set<Integer> remotePorts(JsonNode tasks) {
        Set<Integer> out = new HashSet<>();
        for (JsonNode t : tasks) {
            out.add(remotePort(t));
        }
        return out;
    }

    static int remotePort(JsonNode t) {
        String remote = t.get("remote").asText();
        return Integer.parseInt(remote.substring(remote.lastIndexOf(':') + 1));
    }
}
