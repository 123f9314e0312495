package io.routerctl.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.console.json.SnapshotDocument;
import io.routerctl.console.source.SnapshotSource;
import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.InProcessTarget;
import io.routerctl.console.testing.StuckFixture;
import io.routerctl.playbooks.JsonDocuments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * snapshot writes what the target holds, and every read command given {@code --from} answers as
 * the live target does at the same instant (the registry's clock is frozen, so "the same instant"
 * is exact): three requests wait on auth for 12.5s (two on one connection), one resolved its route
 * 100ms ago.
 */
class SnapshotAndFromTest {

    @TempDir
    Path attachDir;
    @TempDir
    Path work;

    private StuckFixture fixture;
    private InProcessTarget target;
    private long firstId;

    @BeforeEach
    void startTarget() throws Exception {
        fixture = new StuckFixture();
        long first = fixture.requestWaitingOnAuth(40001);
        fixture.advance(Duration.ofMillis(400));
        fixture.requestWaitingOnAuth(40002);
        fixture.siblingWaitingOnAuth(first, 40001);
        fixture.requestCompleted(40004);
        fixture.advance(Duration.ofMillis(12_000));
        fixture.requestAfterRoute(40100);
        fixture.advance(Duration.ofMillis(100));
        firstId = fixture.id(first);
        target = new InProcessTarget(attachDir, fixture.registry());
    }

    @AfterEach
    void stopTarget() {
        target.close();
    }

    private Path snapshot() {
        Path file = work.resolve("s.json");
        Cli.Result r = target.run("snapshot", "-o", file.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(file + "\n");
        return file;
    }

    @Test
    void snapshotSavesEveryLiveTaskWithTargetLoopsAndPoints() throws Exception {
        Path file = snapshot();
        JsonNode doc = JsonDocuments.mapper().readTree(file.toFile());
        assertThat(doc.get("schema").asText()).isEqualTo("routerctl.snapshot/1");
        assertThat(doc.get("target").get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(doc.get("target").get("name").asText()).isEqualTo("test-router");
        assertThat(doc.get("threshold_ms").asLong()).isEqualTo(5_000);
        assertThat(doc.get("truncated").asBoolean()).isFalse();
        assertThat(doc.get("loops").get(0).get("name").asText()).isEqualTo("loop-0");
        assertThat(doc.get("points").findValuesAsText("name")).contains("auth", "route-resolved");
        // 4 live requests (3 waiting, 1 fresh) and 4 connections (one kept alive after its request
        // completed): idle ones are saved too.
        assertThat(doc.get("tasks")).hasSize(8);
        assertThat(doc.get("in_flight").asInt()).isEqualTo(4);
        assertThat(doc.get("stuck").asInt()).isEqualTo(3);

        SnapshotSource read = SnapshotSource.open(file);
        assertThat(read.document().tasks()).hasSize(8);
        assertThat(read.document().schema()).isEqualTo(SnapshotDocument.SCHEMA);
    }

    @Test
    void dumpStuckFromSnapshotEqualsTheLiveAnswer() throws Exception {
        Path file = snapshot();
        for (String[] options : new String[][]{{}, {"--older-than", "12s"}, {"--older-than", "50ms", "--limit", "2"}}) {
            Cli.Result live = target.run(concat(new String[]{"dump-stuck"}, options));
            Cli.Result saved = target.run(concat(new String[]{"dump-stuck", "--from", file.toString()}, options));
            assertThat(saved.exitCode()).as(saved.toString()).isZero();
            assertThat(saved.out()).isEqualTo(live.out());
        }
        JsonNode live = JsonDocuments.mapper().readTree(target.run("dump-stuck", "--json").out());
        JsonNode saved = JsonDocuments.mapper().readTree(target.run("dump-stuck", "--json", "--from", file.toString()).out());
        assertThat(saved.get("tasks")).isEqualTo(live.get("tasks"));
        assertThat(saved.get("summary")).isEqualTo(live.get("summary"));
        assertThat(saved.get("summary").get("groups").get(0).get("text").asText())
                .isEqualTo("3 requests waiting on auth (" + StuckFixture.AUTH.location() + ") after auth-requested; oldest wait 12.5s");
    }

    @Test
    void taskAndLoopsFromSnapshotEqualTheLiveAnswer() {
        Path file = snapshot();
        String id = Long.toString(firstId);
        Cli.Result liveTask = target.run("task", id);
        Cli.Result savedTask = target.run("task", id, "--from", file.toString());
        assertThat(savedTask.exitCode()).as(savedTask.toString()).isZero();
        assertThat(savedTask.out()).isEqualTo(liveTask.out());
        Cli.Result liveLoops = target.run("loops", "--older-than", "1s");
        Cli.Result savedLoops = target.run("loops", "--older-than", "1s", "--from", file.toString());
        assertThat(savedLoops.exitCode()).as(savedLoops.toString()).isZero();
        assertThat(savedLoops.out()).isEqualTo(liveLoops.out());
    }

    @Test
    void missingFileIsAOneLineUsageError() {
        Cli.Result r = target.run("dump-stuck", "--from", work.resolve("nope.json").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("routerctl dump-stuck: " + work.resolve("nope.json") + ": no such file\n");
    }

    @Test
    void anotherSchemaVersionIsRefusedWithExit2() throws Exception {
        Path file = snapshot();
        Path v2 = work.resolve("v2.json");
        Files.writeString(v2, Files.readString(file).replace("routerctl.snapshot/1", "routerctl.snapshot/2"));
        Cli.Result r = target.run("loops", "--from", v2.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("snapshot schema routerctl.snapshot/2 is not supported");

        Path notJson = work.resolve("x.json");
        Files.writeString(notJson, "{ not json");
        Cli.Result bad = target.run("task", "1", "--from", notJson.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).startsWith("routerctl task: " + notJson + ": not JSON");
    }

    @Test
    void fromWithPidIsAUsageError() {
        Cli.Result r = target.run("dump-stuck", "--from", "s.json", "--pid", "42");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--from reads a snapshot instead of a target; it cannot be used with --pid, --socket or --name");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
