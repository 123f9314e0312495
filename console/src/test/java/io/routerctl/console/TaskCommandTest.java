package io.routerctl.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.InProcessTarget;
import io.routerctl.console.testing.StuckFixture;
import io.routerctl.probes.snapshot.Warning;
import io.routerctl.playbooks.JsonDocuments;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * task ID on a frozen clock: a request that read its head, resolved its route 2ms later, asked for
 * auth 3ms after that and has waited on auth for 12s, carrying a lost-wakeup warning; a second
 * request waits on the same connection.
 */
class TaskCommandTest {

    @TempDir
    Path attachDir;

    private InProcessTarget target;
    private long request;
    private long sibling;
    private long connection;

    @BeforeEach
    void start() throws Exception {
        StuckFixture fixture = new StuckFixture();
        var shard = fixture.shard();
        long handle = fixture.requestAfterRouteAt(40001, Duration.ofMillis(2));
        fixture.advance(Duration.ofMillis(3));
        shard.step(handle, StuckFixture.AUTH_REQUESTED);
        shard.await(handle, StuckFixture.AUTH);
        shard.warn(handle, Warning.LOST_WAKEUP.bit());
        long siblingHandle = fixture.siblingWaitingOnAuth(handle, 40001);
        fixture.advance(Duration.ofSeconds(12));
        request = fixture.id(handle);
        sibling = fixture.id(siblingHandle);
        target = new InProcessTarget(attachDir, fixture.registry());
        connection = fixture.registry().task(request, 0).orElseThrow().parent();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    @Test
    void showsWhereTheTaskIsItsStepsWaitWarningsAndRelatives() {
        Cli.Result r = target.run("task", Long.toString(request));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String out = r.out();
        assertThat(out).startsWith("request " + request + " (stuck: no progress for 12s, threshold 5s)\n");
        assertThat(out).contains("  remote 127.0.0.1:40001  local 127.0.0.1:8080  loop loop-0\n");
        assertThat(out).contains("  state waiting, age 12s, last step auth-requested 12s ago\n");
        assertThat(out).containsPattern("  waiting on auth for 12s \\(since 5ms after start\\), at \\S+\\.java:\\d+\\n");
        assertThat(out).contains("  lost-wakeup: " + Warning.LOST_WAKEUP.meaning() + "\n");
        assertThat(out).containsPattern("request-read +0ms +\\+0ms\n");
        assertThat(out).containsPattern("route-resolved +2ms +\\+2ms\n");
        assertThat(out).containsPattern("auth-requested +5ms +\\+3ms\n");
        assertThat(out).contains("Parent: connection " + connection + " serving");
        assertThat(out).contains("Siblings: 1\n  request " + sibling + " waiting");
        assertThat(out).contains("Children: none\n");
    }

    @Test
    void jsonCarriesTimelineWaitAndWarningMeanings() throws Exception {
        Cli.Result r = target.run("task", Long.toString(request), "--json");
        JsonNode doc = JsonDocuments.mapper().readTree(r.out());
        assertThat(doc.get("schema").asText()).isEqualTo("routerctl.task/1");
        assertThat(doc.get("timeline").get(2).get("name").asText()).isEqualTo("auth-requested");
        assertThat(doc.get("timeline").get(2).get("delta_ms").asDouble()).isEqualTo(3.0);
        assertThat(doc.get("waiting").get("since_ms").asLong()).isEqualTo(5);
        assertThat(doc.get("warnings").get(0).get("meaning").asText()).isEqualTo(Warning.LOST_WAKEUP.meaning());
        assertThat(doc.get("parent").get("id").asLong()).isEqualTo(connection);
        assertThat(doc.get("siblings").get(0).get("id").asLong()).isEqualTo(sibling);
    }

    @Test
    void unknownTaskIsExitOneWithOneLine() {
        Cli.Result r = target.run("task", "999999");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("routerctl task: no live task 999999 in pid " + ProcessHandle.current().pid()
                + " (it finished, or never existed)\n");
    }

    @Test
    void idThatIsNotANumberIsAUsageError() {
        Cli.Result r = target.run("task", "abc");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("routerctl task: a task id is a positive number, got 'abc'");
    }
}
