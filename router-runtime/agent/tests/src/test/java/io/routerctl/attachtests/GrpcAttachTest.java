package io.routerctl.attachtests;

import com.example.rates.RatesService;
import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.routerctl.attachtests.ServiceProcess.Netty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gRPC service on gRPC's default transport (Netty relocated into {@code grpc-netty-shaded}) and on
 * plain {@code grpc-netty}, started without routerctl and attached while clients call it: every call
 * that hangs (a halted symbol the feed drops) is listed, with its address, its method as label, the
 * service method as its last step and what it waits on in the service's terms; the unary calls'
 * futures, dropped by the feed, are proven lost after {@code --gc}; nothing else is listed.
 */
class GrpcAttachTest {

    @TempDir
    Path attachDir;

    enum Transport {
        SHADED("grpc-shaded", Netty.RELOCATED), PLAIN("grpc-plain", Netty.V4_2);

        final String libs;
        final Netty netty;

        Transport(String libs, Netty netty) {
            this.libs = libs;
            this.netty = netty;
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void hungCallsAreListedWithTheirMethodWhereTheyWaitAndProofOfTheDroppedFutures(Transport transport) throws Exception {
        Cli cli = new Cli(attachDir);
        List<ManagedChannel> channels = new ArrayList<>();
        ExecutorService load = Executors.newSingleThreadExecutor();
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicLong answered = new AtomicLong();
        try (ServiceProcess service = ServiceProcess.start(RatesService.class.getName(), transport.netty, attachDir,
                List.of(), List.of(transport.libs))) {
            ManagedChannel shared = channel(service.port(), 0);
            channels.add(shared);
            assertThat(ClientCalls.blockingUnaryCall(shared, RatesService.QUOTE,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "ACME")).startsWith("ACME=");
            load.execute(() -> {
                for (int i = 0; loading.get(); i++) {
                    ClientCalls.blockingUnaryCall(shared, RatesService.QUOTE,
                            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "SYM" + (i % 50));
                    answered.incrementAndGet();
                }
            });

            Map<Integer, String> hung = new HashMap<>();
            hung.put(hang(service.port(), RatesService.QUOTE, "HALT-before", channels), "before");
            Cli.Result attach = cli.run("attach", Long.toString(service.pid()));
            assertThat(attach.exitCode()).as(attach + service.output()).isZero();
            if (transport == Transport.SHADED) {
                assertThat(attach.out()).contains("Netty (io.grpc.netty.shaded)");
            }
            for (int i = 0; i < 2; i++) {
                hung.put(hang(service.port(), RatesService.QUOTE, "HALT-q" + i, channels), "quote");
                hung.put(hang(service.port(), RatesService.WATCH, "HALT-w" + i, channels), "watch");
            }
            hung.put(hang(service.port(), RatesService.STREAM, "HALT-s", channels), "stream");
            long before = answered.get();
            Poll.until(Duration.ofSeconds(30), "load answered after the attach", () -> answered.get() > before + 20);

            JsonNode doc = AttachToTicketServiceTest.pollStuck(cli, service.pid(),
                    tasks -> AttachToTicketServiceTest.remotePorts(tasks).equals(hung.keySet()));
            for (JsonNode t : doc.get("tasks")) {
                int port = AttachToTicketServiceTest.remotePort(t);
                assertThat(t.get("kind").asText()).isEqualTo("request");
                assertThat(t.get("local").asText()).isEqualTo("127.0.0.1:" + service.port());
                switch (hung.get(port)) {
                    case "before" -> {
                        // Its headers were read before the attach; gRPC's own state still names its method.
                        assertThat(t.get("label").asText()).isEqualTo("example.Rates/Quote");
                        assertThat(t.get("age_at_least").asBoolean()).as("its age counts from the attach").isTrue();
                    }
                    case "quote" -> {
                        assertThat(t.get("label").asText()).isEqualTo("example.Rates/Quote");
                        assertThat(t.get("last_step").asText()).isEqualTo("RatesService (example.Rates/Quote) returned");
                        assertThat(t.get("waiting_on").asText()).as(t.toString())
                                .startsWith("CompletableFuture from RatesAdapter.quote(RatesAdapter.java:");
                    }
                    case "stream" -> {
                        assertThat(t.get("label").asText()).isEqualTo("example.Rates/Stream");
                        assertThat(t.get("last_step").asText()).isEqualTo("RatesService (example.Rates/Stream) returned");
                        assertThat(t.get("waiting_on").asText()).as(t.toString())
                                .isEqualTo("response observer of RatesService (example.Rates/Stream), unprovable");
                    }
                    default -> {
                        assertThat(t.get("label").asText()).isEqualTo("example.Rates/Watch");
                        assertThat(t.get("last_step").asText()).isEqualTo("RatesService (example.Rates/Watch) returned");
                        assertThat(t.get("waiting_on").asText()).as(t.toString())
                                .isEqualTo("response observer of RatesService (example.Rates/Watch), unprovable");
                    }
                }
            }

            Cli.Result gc = cli.run("dump-stuck", "--pid", Long.toString(service.pid()), "--older-than", "200ms",
                    "--gc", "--json");
            assertThat(gc.exitCode()).as(gc.toString()).isZero();
            Set<String> proven = new HashSet<>();
            for (JsonNode t : gc.json().get("tasks")) {
                for (JsonNode w : t.get("warnings")) {
                    if (w.asText().equals("lost-wakeup")) {
                        proven.add(hung.get(AttachToTicketServiceTest.remotePort(t)) + ":" + AttachToTicketServiceTest.remotePort(t));
                    }
                }
            }
            assertThat(proven).as(gc.toString()).hasSize(2).allMatch(p -> p.startsWith("quote:"));

            Cli.Result detach = cli.run("detach", Long.toString(service.pid()));
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            long afterDetach = answered.get();
            Poll.until(Duration.ofSeconds(30), "load answered after the detach", () -> answered.get() > afterDetach + 20);
            // Nothing of the attach stays reachable from gRPC, although the hung calls are still open
            // and hold the shim's objects (their contexts, tracers and listeners): the attach's class
            // loaders are collected; the shim's own stays, one for the life of the JVM.
            FromOutside outside = new FromOutside(service.pid(), attachDir);
            Poll.until(Duration.ofSeconds(20), "the attach's class loaders collected after the detach", () -> {
                outside.gc();
                return outside.classLoaders().keySet().stream()
                        .noneMatch(k -> k.startsWith("routerctl") && !k.equals("routerctl-grpc-shim"));
            });
            assertThat(outside.classLoaders()).containsEntry("routerctl-grpc-shim", 1);
            assertThat(outside.routerctlThreads()).isEmpty();
            assertThat(service.isAlive()).isTrue();
        } finally {
            loading.set(false);
            load.shutdown();
            for (ManagedChannel c : channels) {
                c.shutdownNow();
            }
            load.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A call that will hang, on a connection of its own from a known source port, read by the service
     * when this returns; returns the port.
     */
    private static int hang(int port, io.grpc.MethodDescriptor<String, String> method, String symbol,
                            List<ManagedChannel> channels) throws IOException {
        int local;
        try (ServerSocket free = new ServerSocket(0)) {
            local = free.getLocalPort();
        }
        ManagedChannel c = channel(port, local);
        channels.add(c);
        StreamObserver<String> ignored = new StreamObserver<>() {
            @Override
            public void onNext(String value) {
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
        switch (method.getType()) {
            case UNARY -> ClientCalls.asyncUnaryCall(c.newCall(method, CallOptions.DEFAULT), symbol, ignored);
            case SERVER_STREAMING -> ClientCalls.asyncServerStreamingCall(c.newCall(method, CallOptions.DEFAULT), symbol,
                    ignored);
            default -> {
                StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(c.newCall(method, CallOptions.DEFAULT),
                        ignored);
                requests.onNext(symbol);
                requests.onCompleted();
            }
        }
        // A call after it on the same connection is answered once the service has read both.
        assertThat(ClientCalls.blockingUnaryCall(c, RatesService.QUOTE,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "ACME")).startsWith("ACME=");
        return local;
    }

    private static ManagedChannel channel(int port, int localPort) {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext();
        if (localPort != 0) {
            b.localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
                @Override
                public java.net.SocketAddress createSocketAddress(java.net.SocketAddress remote, io.grpc.Attributes attrs) {
                    return new InetSocketAddress("127.0.0.1", localPort);
                }
            });
        }
        return b.build();
    }
}
