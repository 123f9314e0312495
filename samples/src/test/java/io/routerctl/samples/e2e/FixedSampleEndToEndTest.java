package io.routerctl.samples.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.samples.load.LoadGenerator;
import io.routerctl.samples.load.LoadReport;
import io.routerctl.samples.load.RequestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same story with the correct adapter, as separate processes: under the load that hangs requests in
 * buggy mode every request is answered, and {@code routerctl dump-stuck --fail-if-stuck} finds nothing,
 * both while the load runs and after.
 */
class FixedSampleEndToEndTest {

    private static final int REQUESTS = 600;

    @TempDir
    Path attachDir;

    @Test
    void dumpStuckFindsNothingWhileAndAfterTheLoadRuns() throws Exception {
        try (SampleRouterProcess sample = SampleRouterProcess.start("fixed", attachDir, Duration.ofSeconds(30));
             LoadGenerator load = LoadGenerator.to(sample.host(), sample.port()).rate(StuckLoad.RATE)
                     .maxRequests(REQUESTS).timeout(Duration.ofMinutes(1)).record(true).start()) {
            Cli cli = new Cli(attachDir);
            // The first command in this JVM loads the console's classes; do that before the load matters.
            assertThat(cli.run("list").exitCode()).isZero();
            // Past a third of the load, so a hung request would have had a second to show.
            Deadline.await(Duration.ofSeconds(30), "a third of the load sent", () -> load.report().sent() >= REQUESTS / 3,
                    () -> load.report().toString());
            Cli.Result during = cli.run("dump-stuck", "--json", "--fail-if-stuck", "--older-than", "500ms",
                    "--timeout", "20s", "--socket", sample.socket().toString());
            long sentAfterDump = load.report().sent();
            System.out.printf("dump-stuck --json during fixed-mode load: %d ms (%d of %d sent after it)%n",
                    during.millis(), sentAfterDump, REQUESTS);
            assertNothingStuck(during);

            assertThat(load.awaitDone(Duration.ofSeconds(60))).as("the load ends").isTrue();
            LoadReport report = load.report();
            assertThat(report.sent()).isEqualTo(REQUESTS);
            assertThat(load.records()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(RequestRecord.Outcome.ANSWERED));

            Cli.Result after = cli.run("dump-stuck", "--fail-if-stuck", "--older-than", "500ms", "--timeout", "20s",
                    "--socket", sample.socket().toString());
            assertThat(after.exitCode()).as(after.toString()).isZero();
            assertThat(after.out()).doesNotContain("auth-requested");
        }
    }

    private static void assertNothingStuck(Cli.Result r) throws java.io.IOException {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(doc.path("tasks").size()).as(r.out()).isZero();
        assertThat(doc.path("summary").path("stuck").asInt()).isZero();
    }
}
