package io.routerctl.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.InProcessTarget;
import io.routerctl.console.testing.StuckFixture;
import io.routerctl.playbooks.JsonDocuments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * diff between two snapshots of a target on a frozen clock. At A: requests "hung", "slow" and
 * "bounced" wait on auth for 6s (stuck at 5s), "young" resolved its route 1s ago. Then "slow"
 * completes, "bounced" gets its answer and waits again, and 6s pass. At B: "hung" waited 12s
 * (persistent), "young" made no progress for 7s (new), "bounced" waited 6s again (resolved in A:
 * it progressed; new in B), "slow" is gone (resolved).
 */
class DiffCommandTest {

    @TempDir
    Path attachDir;
    @TempDir
    Path work;

    private StuckFixture fixture;
    private InProcessTarget target;
    private long hung;
    private long slow;
    private long bounced;
    private long young;
    private Path a;
    private Path b;

    @BeforeEach
    void twoMoments() throws Exception {
        fixture = new StuckFixture();
        long hungHandle = fixture.requestWaitingOnAuth(40001);
        long slowHandle = fixture.requestWaitingOnAuth(40002);
        long bouncedHandle = fixture.requestWaitingOnAuth(40003);
        fixture.advance(Duration.ofSeconds(5));
        long youngHandle = fixture.requestAfterRoute(40004);
        fixture.advance(Duration.ofSeconds(1));
        hung = fixture.id(hungHandle);
        slow = fixture.id(slowHandle);
        bounced = fixture.id(bouncedHandle);
        young = fixture.id(youngHandle);
        target = new InProcessTarget(attachDir, fixture.registry());
        a = snapshot("a.json");
        fixture.complete(slowHandle);
        fixture.progressThenWaitAgain(bouncedHandle);
        fixture.advance(Duration.ofSeconds(6));
        b = snapshot("b.json");
    }

    @AfterEach
    void stop() {
        target.close();
    }

    private Path snapshot(String name) {
        Path file = work.resolve(name);
        Cli.Result r = target.run("snapshot", "-o", file.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return file;
    }

    private static List<Long> ids(JsonNode tasks) {
        List<Long> out = new ArrayList<>();
        tasks.forEach(t -> out.add(t.get("id").asLong()));
        return out;
    }

    @Test
    void classifiesPersistentNewAndResolvedById() throws Exception {
        Cli.Result r = target.run("diff", a.toString(), b.toString(), "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = JsonDocuments.mapper().readTree(r.out());
        assertThat(doc.get("schema").asText()).isEqualTo("routerctl.diff/1");
        assertThat(ids(doc.get("persistent"))).containsExactly(hung);
        assertThat(ids(doc.get("new"))).containsExactlyInAnyOrder(young, bounced);
        assertThat(ids(doc.get("resolved"))).containsExactlyInAnyOrder(slow, bounced);
        JsonNode summary = doc.get("summary");
        assertThat(summary.get("resolved_gone").asInt()).isEqualTo(1);
        assertThat(summary.get("resolved_progressed").asInt()).isEqualTo(1);
        assertThat(summary.get("groups").get(0).get("text").asText())
                .isEqualTo("1 request waiting on auth (" + StuckFixture.AUTH.location() + ") after auth-requested; oldest wait 12s");
    }

    @Test
    void textStatesTheClassesWithDumpStuckSentences() {
        Cli.Result r = target.run("diff", a.toString(), b.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("persistent 1 (stuck in both: the real hangs), new 2 (stuck only in B), "
                + "resolved 2 (slow, not stuck: 1 gone, 1 progressed)");
        assertThat(r.out()).contains("Persistent (stuck in A and B, no progress in between):");
        assertThat(r.out()).contains("1 request waiting on auth (" + StuckFixture.AUTH.location() + ") after auth-requested; oldest wait 12s");
        assertThat(r.out()).contains("1 request stuck after route-resolved, not waiting on anything known (oldest 7s)");
    }

    @Test
    void liveAsTheSecondMomentGivesTheSameClasses() throws Exception {
        JsonNode files = JsonDocuments.mapper().readTree(target.run("diff", a.toString(), b.toString(), "--json").out());
        Cli.Result r = target.run("diff", a.toString(), "live", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode live = JsonDocuments.mapper().readTree(r.out());
        for (String part : List.of("persistent", "new", "resolved")) {
            assertThat(live.get(part)).as(part).isEqualTo(files.get(part));
        }
    }

    @Test
    void failIfPersistentExitsOne() {
        assertThat(target.run("diff", a.toString(), b.toString(), "--fail-if-persistent").exitCode()).isEqualTo(1);
        assertThat(target.run("diff", a.toString(), a.toString(), "--fail-if-persistent", "--older-than", "1m")
                .exitCode()).isZero();
    }

    @Test
    void laterMomentFirstIsAUsageError() {
        Cli.Result r = target.run("diff", b.toString(), a.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("routerctl diff: A was taken after B; give the earlier moment first "
                + "(see routerctl diff --help)\n");
    }
}
