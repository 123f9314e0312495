package io.routerctl.probes.attach;

import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.testing.ManualTicker;
import io.routerctl.probes.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code detach} op on a real socket: served only where an agent said how to detach, refused
 * after its deadline without being applied, and followed by the server closing itself once the
 * answer went out.
 */
class AttachDetachOpTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    final TaskRegistry registry = new TaskRegistry(new ManualTicker(), true);
    final List<AttachServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(AttachServer::close);
        registry.close();
    }

    private AttachServer start(AttachServer.Builder b) throws Exception {
        AttachServer s = b.directory(dir).start();
        servers.add(s);
        return s;
    }

    @Test
    void anAgentsTargetDetachesAnswersThenClosesItsSocket() throws Exception {
        AtomicInteger detaches = new AtomicInteger();
        AttachServer server = start(AttachServer.builder(registry).name("agent-target").detach(deadline -> {
            detaches.incrementAndGet();
            return "detached: trackers removed from 3 channels";
        }));
        try (AttachClient client = AttachClient.connect(server.socket(), TIMEOUT)) {
            String line = client.detach(System.currentTimeMillis() + 10_000);

            assertThat(line).isEqualTo("detached: trackers removed from 3 channels");
            assertThat(detaches).hasValue(1);
            Poll.until(TIMEOUT, "the server to close its socket after answering", () -> !Files.exists(server.socket()));
            assertThatThrownBy(() -> AttachClient.connect(server.socket(), Duration.ofSeconds(2)))
                    .isInstanceOf(AttachException.class);
        }
    }

    @Test
    void aDetachReadAfterItsDeadlineIsRefusedAndNotApplied() throws Exception {
        AtomicInteger detaches = new AtomicInteger();
        AttachServer server = start(AttachServer.builder(registry).name("agent-target").detach(deadline -> {
            detaches.incrementAndGet();
            return "detached";
        }));
        try (AttachClient client = AttachClient.connect(server.socket(), TIMEOUT)) {
            assertThatThrownBy(() -> client.detach(System.currentTimeMillis() - 65_000))
                    .isInstanceOfSatisfying(TargetErrorException.class, e -> {
                        assertThat(e.code()).isEqualTo("expired");
                        assertThat(e.getMessage()).contains("after its deadline", "not applied");
                    });
            assertThat(detaches).hasValue(0);
            assertThat(client.hello().name()).as("the target still serves").isEqualTo("agent-target");
        }
        assertThat(server.socket()).exists();
    }

    @Test
    void aServiceThatEmbedsRouterctlCannotBeDetached() throws Exception {
        AttachServer server = start(AttachServer.builder(registry).name("library-target"));
        try (AttachClient client = AttachClient.connect(server.socket(), TIMEOUT)) {
            assertThatThrownBy(() -> client.detach(System.currentTimeMillis() + 10_000))
                    .isInstanceOfSatisfying(TargetErrorException.class, e -> assertThat(e.code()).isEqualTo("unsupported"));
            assertThat(client.hello().name()).isEqualTo("library-target");
        }
    }
}
