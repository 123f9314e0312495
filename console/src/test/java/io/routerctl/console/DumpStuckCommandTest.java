package io.routerctl.console;

import io.routerctl.console.context.ExitCode;
import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.console.json.DumpStuckDocument;
import io.routerctl.console.testing.AttachDirProperty;
import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.StuckFixture;
import io.routerctl.probes.attach.AttachServer;
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
 * dump-stuck against a real attach server in this JVM, serving a real registry whose requests were
 * driven through the sample router's steps on a frozen clock: three wait on auth for 12.5s, one
 * resolved its route 100ms ago, one completed.
 */
class DumpStuckCommandTest {

    @TempDir
    Path attachDir;

    private AttachDirProperty property;
    private AttachServer server;
    private Cli cli;

    @BeforeEach
    void startTarget() throws Exception {
        property = new AttachDirProperty(attachDir);
        StuckFixture fixture = new StuckFixture();
        fixture.requestWaitingOnAuth(40001);
        fixture.advance(Duration.ofMillis(400));
        fixture.requestWaitingOnAuth(40002);
        fixture.requestWaitingOnAuth(40003);
        fixture.requestCompleted(40004);
        fixture.advance(Duration.ofMillis(12_000));
        fixture.requestAfterRoute(40100);
        fixture.advance(Duration.ofMillis(100));
        server = AttachServer.start(fixture.registry(), "test-router");
        cli = new Cli(attachDir);
    }

    /**
     * dump-stuck with a generous attach timeout: an in-process target answers in milliseconds, but
     * a CI machine under load can stall any process for seconds, and that is not what these test.
     */
    private Cli.Result dump(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "dump-stuck";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--timeout";
        full[args.length + 2] = "20s";
        return cli.run(full);
    }

    @AfterEach
    void stopTarget() {
        if (server != null) {
            server.close();
        }
        property.close();
    }

    @Test
    void listsStuckRequestsWithAddressesLastStepAndWait() {
        Cli.Result r = dump();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).matches(" *ID  KIND +REMOTE +LOCAL +LOOP +AGE  STATE +LAST STEP +WAITING ON");
        assertThat(lines.get(1)).contains("request", "127.0.0.1:40001", "127.0.0.1:8080", "loop-0", "12.5s",
                "waiting", "auth-requested", "auth 12.5s");
        assertThat(lines.subList(1, 4)).anySatisfy(l -> assertThat(l).contains("127.0.0.1:40002", "auth 12.1s"));
        assertThat(lines.subList(1, 4)).anySatisfy(l -> assertThat(l).contains("127.0.0.1:40003", "auth 12.1s"));
        assertThat(r.out()).doesNotContain("40004").doesNotContain("40100");
        assertThat(r.out()).containsPattern(
                "\n3 requests waiting on auth \\(" + java.util.regex.Pattern.quote(StuckFixture.AUTH.location())
                        + "\\) after auth-requested; oldest wait 12\\.5s\n");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("in flight 4, stuck 3 (showing 3), threshold 5s");
    }

    @Test
    void columnsLineUpUnderTheirHeaders() {
        List<String> lines = dump().out().lines().toList();
        int remoteColumn = lines.get(0).indexOf("REMOTE");
        int stepColumn = lines.get(0).indexOf("LAST STEP");
        for (String row : lines.subList(1, 4)) {
            assertThat(row.indexOf("127.0.0.1:4000")).isEqualTo(remoteColumn);
            assertThat(row.indexOf("auth-requested")).isEqualTo(stepColumn);
        }
    }

    @Test
    void nothingOlderThanTheThresholdPrintsOneLine() {
        Cli.Result r = dump("--older-than", "1m");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).isEqualTo("No stuck tasks (in flight 4, threshold 1m).\n");
    }

    @Test
    void aLowThresholdCountsTheFreshRequestToo() {
        Cli.Result r = dump("--older-than", "50ms");
        assertThat(r.out()).contains("127.0.0.1:40100").contains("1 request stuck after route-resolved");
    }

    @Test
    void gcOptionRunsTheGcOpFirstAndSaysWhatItFound() throws Exception {
        Cli.Result r = dump("--gc");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("full GC in the target: 0 lost wake-ups proven (0 since start), took ");
        JsonNode doc = JsonDocuments.mapper().readTree(dump("--gc", "--json").out());
        assertThat(doc.at("/gc/lost_wakeups_found").asLong()).isZero();
        assertThat(doc.at("/gc/text").asText()).startsWith("full GC in the target: ");
        assertThat(dump().out()).doesNotContain("full GC");
    }

    @Test
    void failIfStuckExitsOneOnlyWhenSomethingIsStuck() {
        assertThat(dump("--fail-if-stuck").exitCode()).isEqualTo(ExitCode.PROBLEM_FOUND);
        assertThat(dump("--fail-if-stuck", "--older-than", "1m").exitCode()).isEqualTo(ExitCode.OK);
        assertThat(dump().exitCode()).isEqualTo(ExitCode.OK);
    }

    @Test
    void limitCutsTheListButNotTheCountsAndSaysSo() {
        Cli.Result r = dump("--limit", "1");
        assertThat(r.out()).contains("127.0.0.1:40001").doesNotContain("127.0.0.1:40002");
        assertThat(r.out()).contains("3 requests waiting on auth (" + StuckFixture.AUTH.location() + ")");
        assertThat(r.out()).endsWith("in flight 4, stuck 3 (showing 1; --limit 1 cut 2 more), threshold 5s\n");
    }

    @Test
    void jsonDocumentHoldsEveryDocumentedField() throws Exception {
        Cli.Result r = dump("--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = JsonDocuments.mapper().readTree(r.out());
        assertThat(doc.get("schema").asText()).isEqualTo("routerctl.dump-stuck/1");
        assertThat(doc.at("/target/pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(doc.at("/target/name").asText()).isEqualTo("test-router");
        assertThat(doc.at("/target/socket").asText()).isEqualTo(server.socket().toString());
        assertThat(doc.get("threshold_ms").asLong()).isEqualTo(5_000);
        assertThat(doc.get("limit").asInt()).isEqualTo(100);
        JsonNode first = doc.at("/tasks/0");
        assertThat(first.get("kind").asText()).isEqualTo("request");
        assertThat(first.get("remote").asText()).isEqualTo("127.0.0.1:40001");
        assertThat(first.get("local").asText()).isEqualTo("127.0.0.1:8080");
        assertThat(first.get("loop").asText()).isEqualTo("loop-0");
        assertThat(first.get("age_ms").asLong()).isEqualTo(12_500);
        assertThat(first.get("state").asText()).isEqualTo("waiting");
        assertThat(first.get("last_step").asText()).isEqualTo("auth-requested");
        assertThat(first.get("last_step_ago_ms").asLong()).isEqualTo(12_500);
        assertThat(first.get("waiting_on").asText()).isEqualTo("auth");
        assertThat(first.get("waiting_ms").asLong()).isEqualTo(12_500);
        assertThat(first.get("id").asLong()).isPositive();
        assertThat(first.get("warnings").isArray()).isTrue();
        List<String> steps = new ArrayList<>();
        first.get("steps").forEach(s -> steps.add(s.get("name").asText()));
        assertThat(steps).containsExactly("request-read", "route-resolved", "auth-requested");
        assertThat(first.at("/steps/0/at_ms").isNumber()).isTrue();
        assertThat(doc.at("/summary/in_flight").asInt()).isEqualTo(4);
        assertThat(doc.at("/summary/stuck").asInt()).isEqualTo(3);
        assertThat(doc.at("/summary/shown").asInt()).isEqualTo(3);
        assertThat(doc.at("/summary/truncated").asBoolean()).isFalse();
        JsonNode group = doc.at("/summary/groups/0");
        assertThat(group.get("kind").asText()).isEqualTo("request");
        assertThat(group.get("last_step").asText()).isEqualTo("auth-requested");
        assertThat(group.get("waiting_on").asText()).isEqualTo("auth");
        assertThat(group.get("count").asInt()).isEqualTo(3);
        assertThat(group.get("oldest_ms").asLong()).isEqualTo(12_500);
        assertThat(group.get("text").asText()).matches(
                "3 requests waiting on auth \\(" + java.util.regex.Pattern.quote(StuckFixture.AUTH.location())
                        + "\\) after auth-requested; oldest wait 12\\.5s");
        assertThat(group.get("lost_wakeups").asInt()).isZero();
        assertThat(doc.at("/gc").isNull()).as("no --gc, no gc facts").isTrue();
        assertThat(doc.at("/summary/blocked_loops").isArray()).isTrue();
    }

    @Test
    void jsonReadsBackIntoTheDocumentRecord() throws Exception {
        Cli.Result r = dump("--json", "--limit", "2");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        DumpStuckDocument doc = JsonDocuments.mapper().readValue(r.out(), DumpStuckDocument.class);
        assertThat(doc.tasks()).hasSize(2);
        assertThat(doc.summary().truncated()).isTrue();
        assertThat(doc.summary().stuck()).isEqualTo(3);
    }

    @Test
    void attachesByPidAndBySocketAsWellAsAlone() {
        String pid = Long.toString(ProcessHandle.current().pid());
        assertThat(dump("--pid", pid).out()).contains("127.0.0.1:40001");
        assertThat(dump("--socket", server.socket().toString()).out()).contains("127.0.0.1:40001");
    }
}
