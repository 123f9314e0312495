package io.routerctl.samples.router;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import io.netty.channel.Channel;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.Ticker;
import io.routerctl.runtime.RouterRuntime;
import io.routerctl.runtime.StepTracer;
import io.routerctl.samples.Http;
import io.routerctl.samples.SampleServer;
import io.routerctl.samples.auth.AuthAdapter;
import io.routerctl.samples.auth.LatencyRange;
import io.routerctl.samples.auth.LegacyAuth;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

class SampleRouterTest {

    private static SampleServer.Options fixed() {
        return new SampleServer.Options().port(0).loops(2).adapter("fixed").attach(false)
                .authLatency(LatencyRange.parse("0..1ms"));
    }

    @Test
    void authenticatedApiRequestIsForwardedUpstreamAndAnswered() throws Exception {
        try (SampleServer server = SampleServer.start(fixed()); Http client = new Http(server.port())) {
            Http.Response r = client.get("/api/items/7", "Authorization: Bearer tok-1");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("\"upstream\":\"ok\"").contains("\"path\":\"/api/items/7\"")
                    .contains("\"principal\":\"user-");
        }
    }

    @Test
    void missingTokenIs401RefusedTokenIs403OtherPathsAre404() throws Exception {
        try (SampleServer server = SampleServer.start(fixed()); Http client = new Http(server.port())) {
            assertThat(client.get("/api/x").status()).isEqualTo(401);
            assertThat(client.get("/api/x", "Authorization: Basic abc").status()).isEqualTo(401);
            assertThat(client.get("/api/x", "Authorization: Bearer deny-me").status()).isEqualTo(403);
            assertThat(client.get("/health", "Authorization: Bearer tok-1").status()).isEqualTo(404);
            assertThat(client.get("/", "Authorization: Bearer tok-1").status()).isEqualTo(404);
        }
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnectionAndLeavesOnlyAnIdleConnection() throws Exception {
        try (SampleServer server = SampleServer.start(fixed()); Http client = new Http(server.port())) {
            for (int i = 0; i < 20; i++) {
                Http.Response r = client.get("/api/k/" + i, "Authorization: Bearer tok-" + (i % 3));
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.close()).isFalse();
                assertThat(r.body()).contains("/api/k/" + i);
            }
            // The last response can reach the client a moment before its request task finishes
            // (response-written is recorded when the write completes): poll with a deadline.
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            var tasks = server.registry().find(t -> client.localAddress().equals(t.remote()), 10, 60_000);
            while (tasks.size() > 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                tasks = server.registry().find(t -> client.localAddress().equals(t.remote()), 10, 60_000);
            }
            assertThat(tasks).singleElement().satisfies(t -> {
                assertThat(t.kind()).isEqualTo(TaskKind.CONNECTION);
                assertThat(t.state()).isEqualTo(TaskState.IDLE);
            });
        }
    }

    @Test
    void requestPassesTheStorysStepsInOrder() throws Exception {
        Map<Long, List<String>> trace = new ConcurrentHashMap<>();
        StepTracer recorder = (Channel ch, long task, ProbePoint point) ->
                trace.computeIfAbsent(task, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                        .add(point.name());
        try (LegacyAuth auth = new LegacyAuth(1, LatencyRange.parse("1ms"));
             UpstreamBackend upstream = UpstreamBackend.start();
             RouterRuntime runtime = RouterRuntime.builder().port(0).loops(1).attach(false)
                     .registry(new TaskRegistry(Ticker.system(), true)).stepTracer(recorder)
                     .handler(new SampleRouter(AuthAdapter.named("fixed", auth, RouterPoints.AUTH), upstream.address())).start();
             Http client = new Http(runtime.port())) {
            assertThat(client.get("/api/steps", "Authorization: Bearer tok-1").status()).isEqualTo(200);
            List<String> requestSteps = trace.values().stream().filter(l -> l.contains("request-read"))
                    .findFirst().orElseThrow();
            // response-written is recorded after the write completes; the client may read first
            var deadline = System.nanoTime() + 10_000_000_000L;
            while (!requestSteps.contains("response-written") && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // poll interval
            }
            assertThat(requestSteps).containsExactly("request-read", "route-resolved", "auth-requested", "auth",
                    "auth-completed", "upstream", "upstream-connected", "upstream-request-sent",
                    "upstream-response-read", "response-written");
        }
    }
}
