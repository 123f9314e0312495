package io.routerctl.attachtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.attachtests.ServiceProcess.Netty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Reactor Netty server, attached while two requests hang in it and two more hang after: dump-stuck
 * lists exactly those, by address, with their path and the last handler they went through; a
 * request whose {@code Mono.create}, {@code Flux.create}, {@code Sinks.one()} or {@code Sinks.many()}
 * callback the team's client dropped waits where the client made it, and a GC proves it lost.
 */
class ReactorNettyTest {

    static final String MONO_CREATE = "reactor.core.publisher.MonoCreate";
    static final String FLUX_CREATE = "reactor.core.publisher.FluxCreate";
    static final String SINKS = "reactor.core.publisher.Sinks";
    static final String UNICAST_SPECS = "reactor.core.publisher.SinksSpecs$UnicastSpecImpl";

    @TempDir
    Path attachDir;

    @TempDir
    Path work;

    @Test
    void aMonoCreateWhoseCallbackWasDroppedIsWhereItsRequestWaitsInTheApplicationsCode() throws Exception {
        Cli cli = new Cli(attachDir);
        try (ServiceProcess service = ServiceProcess.start("com.example.reactive.ReactiveService", Netty.V4_2,
                attachDir, List.of(), List.of("reactor"));
             Clients clients = new Clients(service.port())) {
            assertThat(clients.ask("/quotes/ACME", "-")).isEqualTo("HTTP/1.1 200 OK");
            Cli.Result attach = cli.run("attach", Long.toString(service.pid()));
            assertThat(attach.exitCode()).as(attach + service.output()).isZero();
            Set<Integer> hung = new HashSet<>();
            Set<Integer> streams = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                hung.add(clients.hang("/quotes/HALT?n=" + i, "-"));
                assertThat(clients.ask("/quotes/ACME" + i, "-")).isEqualTo("HTTP/1.1 200 OK");
                assertThat(clients.ask("/ticks/ACME" + i, "-")).isEqualTo("HTTP/1.1 200 OK");
            }
            for (int i = 0; i < 2; i++) {
                streams.add(clients.hang("/ticks/HALT?n=" + i, "-"));
            }
            Set<Integer> bids = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                assertThat(clients.ask("/bids/ACME" + i, "-")).isEqualTo("HTTP/1.1 200 OK");
                bids.add(clients.hang("/bids/HALT?n=" + i, "-"));
            }
            Set<Integer> trades = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                assertThat(clients.ask("/trades/ACME" + i, "-")).isEqualTo("HTTP/1.1 200 OK");
                trades.add(clients.hang("/trades/HALT?n=" + i, "-"));
            }
            Set<Integer> all = new HashSet<>(hung);
            all.addAll(streams);
            all.addAll(trades);
            all.addAll(bids);
            JsonNode doc = AttachToTicketServiceTest.pollStuck(cli, service.pid(),
                    tasks -> AttachToTicketServiceTest.remotePorts(tasks).equals(all));
            for (JsonNode t : doc.get("tasks")) {
                if (bids.contains(AttachToTicketServiceTest.remotePort(t))) {
                    assertThat(t.get("label").asText()).isEqualTo("GET /bids/HALT");
                    assertThat(t.get("waiting_on").asText()).as(t.toString())
                            .startsWith("Sinks.one from QuoteClient.bid(QuoteClient.java:").endsWith(")");
                    continue;
                }
                if (trades.contains(AttachToTicketServiceTest.remotePort(t))) {
                    assertThat(t.get("label").asText()).isEqualTo("GET /trades/HALT");
                    assertThat(t.get("waiting_on").asText()).as(t.toString())
                            .startsWith("Sinks.many from QuoteClient.trades(QuoteClient.java:").endsWith(")");
                    continue;
                }
                if (streams.contains(AttachToTicketServiceTest.remotePort(t))) {
                    assertThat(t.get("label").asText()).isEqualTo("GET /ticks/HALT");
                    assertThat(t.get("waiting_on").asText()).as(t.toString())
                            .startsWith("Flux.create from QuoteClient.ticks(QuoteClient.java:").endsWith(")");
                    continue;
                }
                assertThat(t.get("label").asText()).isEqualTo("GET /quotes/HALT");
                assertThat(t.get("waiting_on").asText()).as(t.toString())
                        .startsWith("Mono.create from QuoteClient.quote(QuoteClient.java:").endsWith(")");
            }
            assertThat(doc.get("summary").get("groups").toString())
                    .contains("3 requests waiting on Mono.create from QuoteClient.quote(")
                    .contains("2 requests waiting on Flux.create from QuoteClient.ticks(")
                    .contains("2 requests waiting on Sinks.one from QuoteClient.bid(")
                    .contains("2 requests waiting on Sinks.many from QuoteClient.trades(");

            // The feed dropped the callbacks, and with them the only references to the sinks the
            // application was handed: a GC proves each lost; the answered requests are not listed.
            assertThat(AttachToTicketServiceTest.provenLost(cli, service.pid())).isEqualTo(all);

            FromOutside outside = new FromOutside(service.pid(), work);
            assertThat(outside.codeOf(MONO_CREATE)).containsEntry(MONO_CREATE, "hooked");
            assertThat(outside.codeOf(FLUX_CREATE)).containsEntry(FLUX_CREATE, "hooked");
            assertThat(outside.codeOf(SINKS)).containsEntry(SINKS, "hooked");
            assertThat(outside.codeOf(UNICAST_SPECS)).containsEntry(UNICAST_SPECS, "hooked");
            Cli.Result detach = cli.run("detach", Long.toString(service.pid()));
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(outside.codeOf(MONO_CREATE)).as("Reactor's MonoCreate runs its own code again")
                    .containsEntry(MONO_CREATE, "clean");
            assertThat(outside.codeOf(FLUX_CREATE)).as("and FluxCreate").containsEntry(FLUX_CREATE, "clean");
            assertThat(outside.codeOf(SINKS)).as("and Sinks").containsEntry(SINKS, "clean");
            assertThat(outside.codeOf(UNICAST_SPECS)).as("and Sinks.many()'s specs").containsEntry(UNICAST_SPECS, "clean");
            assertThat(clients.ask("/bids/ACME-after", "-")).isEqualTo("HTTP/1.1 200 OK");
            assertThat(clients.ask("/quotes/ACME-after", "-")).isEqualTo("HTTP/1.1 200 OK");
            assertThat(service.output()).as("the service's own output").doesNotContain("Exception");
        }
    }

    @Test
    void stuckRequestsOfAReactorNettyServerAreListedWithTheirAddressPathAndLastHandler() throws Exception {
        Cli cli = new Cli(attachDir);
        try (ServiceProcess service = ServiceProcess.start("com.example.reactive.ReactiveService", Netty.V4_2,
                attachDir, List.of(), List.of("reactor"));
             Clients clients = new Clients(service.port())) {
            assertThat(clients.ask("/quote", "-")).isEqualTo("HTTP/1.1 200 OK");
            Map<Integer, String> before = new HashMap<>();
            long firstSent = System.nanoTime();
            for (int i = 0; i < 2; i++) {
                before.put(clients.hang("/stuck/" + i + "?q=1", "-"), "GET /stuck/" + i);
            }
            Cli.Result attach = cli.run("attach", Long.toString(service.pid()));
            assertThat(attach.exitCode()).as(attach + service.output()).isZero();
            Set<Integer> after = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                after.add(clients.hang("/stuck/after-" + i + "?q=1", "-"));
            }
            // Behind retryWhen, whose operator asks Sinks.many() for a sink of its own: not the
            // application's, so not what the request waits on.
            int retrying = clients.hang("/retrying/0?q=1", "-");
            assertThat(clients.ask("/quote", "-")).isEqualTo("HTTP/1.1 200 OK");
            Set<Integer> hung = new HashSet<>(before.keySet());
            hung.addAll(after);
            hung.add(retrying);
            JsonNode doc = AttachToTicketServiceTest.pollStuck(cli, service.pid(),
                    tasks -> AttachToTicketServiceTest.remotePorts(tasks).equals(hung));
            long sinceFirstSent = (System.nanoTime() - firstSent) / 1_000_000;
            long oldestAfter = 0;
            for (JsonNode t : doc.get("tasks")) {
                if (after.contains(AttachToTicketServiceTest.remotePort(t))) {
                    oldestAfter = Math.max(oldestAfter, t.get("age_ms").asLong());
                }
            }
            for (JsonNode t : doc.get("tasks")) {
                assertThat(t.get("kind").asText()).isEqualTo("request");
                if (AttachToTicketServiceTest.remotePort(t) == retrying) {
                    assertThat(t.get("label").asText()).isEqualTo("GET /retrying/0");
                    assertThat(t.get("waiting_on").asText()).as(t.toString())
                            .isEqualTo("after ChannelOperationsHandler (reactor.right.reactiveBridge)");
                    continue;
                }
                if (after.contains(AttachToTicketServiceTest.remotePort(t))) {
                    assertThat(t.get("label").asText()).startsWith("GET /stuck/after-").doesNotContain("?");
                    // The handler returned with the request's head; its empty last content, read
                    // after, passes Reactor's handlers without steps of their own.
                    assertThat(t.get("last_step").asText()).as(t.toString()).isEqualTo("request-read");
                    assertThat(t.get("steps").toString()).contains("ChannelOperationsHandler (reactor.right.reactiveBridge) returned");
                    assertThat(t.get("waiting_on").asText()).isEqualTo("after ChannelOperationsHandler (reactor.right.reactiveBridge)");
                } else {
                    // Read before the attach: named, and aged from their read, by what Reactor
                    // Netty holds for each connection's request in flight.
                    assertThat(t.get("label").asText()).as(t.toString())
                            .isEqualTo(before.get(AttachToTicketServiceTest.remotePort(t)));
                    assertThat(t.get("age_at_least").asBoolean()).as(t.toString()).isFalse();
                    assertThat(t.get("age_ms").asLong()).as("older than the requests sent after the attach: " + t)
                            .isGreaterThan(oldestAfter).isLessThanOrEqualTo(sinceFirstSent);
                }
            }
        }
    }
}
