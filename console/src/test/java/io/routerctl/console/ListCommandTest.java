package io.routerctl.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.console.testing.AttachDirProperty;
import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.LivePid;
import io.routerctl.console.testing.StuckFixture;
import io.routerctl.playbooks.JsonDocuments;
import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.attach.AttachServer;
import io.routerctl.probes.attach.SubscriptionListener;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ListCommandTest {

    @TempDir
    Path attachDir;

    private AttachDirProperty property;
    private Cli cli;

    @BeforeEach
    void setUp() {
        property = new AttachDirProperty(attachDir);
        cli = new Cli(attachDir);
    }

    @AfterEach
    void tearDown() {
        property.close();
    }

    /**
     * The silent target costs the whole --timeout, so the real one must answer within it even on a
     * loaded machine: load the classes on both sides first.
     */
    private void warmUp(AttachServer server) {
        assertThat(cli.run("dump-stuck", "--socket", server.socket().toString(), "--timeout", "20s").exitCode())
                .isZero();
    }

    @Test
    void emptyDirectorySaysSoAndIsNotAnError() {
        Cli.Result r = cli.run("list");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("No attachable processes in " + attachDir + ".\n");
    }

    @Test
    void showsAnsweringAndSilentTargetsWithoutFailing() throws Exception {
        try (AttachServer server = AttachServer.start(new StuckFixture().registry(), "listed-router");
             LivePid silent = new LivePid()) {
            silent.silentSocket(attachDir);
            warmUp(server);
            Cli.Result r = cli.run("list", "--timeout", "2s");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out().lines().findFirst().orElseThrow()).matches(" *PID  NAME +UPTIME  SOCKET");
            assertThat(r.out()).containsPattern(ProcessHandle.current().pid() + "  listed-router +\\S+  "
                    + Pattern.quote(server.socket().toString()));
            assertThat(r.out()).containsPattern(silent.pid() + "  \\(not answering\\) +-  ");
        }
    }

    @Test
    void aTargetServingAsManyConsolesAsItWillIsListedAsBusy() throws Exception {
        List<AttachClient> watching = new ArrayList<>();
        try (AttachServer server = AttachServer.start(new StuckFixture().registry(), "watched-router")) {
            warmUp(server);
            for (int i = 0; i < AttachServer.MAX_CLIENTS; i++) {
                AttachClient c = AttachClient.connect(
                        server.socket(), Duration.ofSeconds(20));
                watching.add(c);
                c.subscribe(TaskQuery.stuck(0, 1), Duration.ofSeconds(1),
                        new SubscriptionListener() {
                            @Override
                            public void onUpdate(TargetInfo target,
                                                 TaskReport report,
                                                 List<LoopSnapshot> loops,
                                                 long droppedBefore) {
                            }

                            @Override
                            public void onClosed(Exception cause) {
                            }
                        });
            }
            Cli.Result r = cli.run("list", "--timeout", "10s");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).containsPattern(ProcessHandle.current().pid() + "  \\(busy\\) +-  ");
            Cli.Result json = cli.run("list", "--json", "--timeout", "10s");
            assertThat(JsonDocuments.mapper().readTree(json.out()).at("/targets/0/state").asText()).isEqualTo("busy");
        } finally {
            watching.forEach(AttachClient::close);
        }
    }

    @Test
    void jsonListsEveryTargetWithItsHello() throws Exception {
        try (AttachServer server = AttachServer.start(new StuckFixture().registry(), "listed-router");
             LivePid silent = new LivePid()) {
            silent.silentSocket(attachDir);
            warmUp(server);
            Cli.Result r = cli.run("list", "--json", "--timeout", "2s");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            JsonNode doc = JsonDocuments.mapper().readTree(r.out());
            assertThat(doc.get("schema").asText()).isEqualTo("routerctl.list/1");
            assertThat(doc.get("attach_dir").asText()).isEqualTo(attachDir.toString());
            assertThat(doc.get("targets")).hasSize(2);
            for (JsonNode t : doc.get("targets")) {
                if (t.get("pid").asLong() == ProcessHandle.current().pid()) {
                    assertThat(t.get("answering").asBoolean()).isTrue();
                    assertThat(t.get("name").asText()).isEqualTo("listed-router");
                    assertThat(t.get("socket").asText()).isEqualTo(server.socket().toString());
                    assertThat(t.get("uptime_ms").isNumber()).isTrue();
                } else {
                    assertThat(t.get("pid").asLong()).isEqualTo(silent.pid());
                    assertThat(t.get("answering").asBoolean()).isFalse();
                    assertThat(t.get("name").isNull()).isTrue();
                    assertThat(t.get("problem").asText()).isNotBlank();
                }
            }
        }
    }
}
