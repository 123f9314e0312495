package io.routerctl.console.play;

import io.routerctl.playbooks.PlayCommand;
import io.routerctl.playbooks.Playbook;
import io.routerctl.playbooks.StockPlaybooks;
import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.console.play.testing.Harness;
import io.routerctl.console.play.testing.SampleTarget;
import io.routerctl.playbooks.JsonDocuments;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped playbooks, run end to end against an in-process registry on a manual clock. */
@ExtendWith(Harness.Cleanup.class)
class StockPlaybooksTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int play(Harness h, String name, Map<String, String> vars) {
        PlayCommand play = new PlayCommand(h.executor, h.clock, new PrintWriter(h.output, true), new PrintWriter(err, true), dir);
        return play.run(new PlayCommand.Request(name, vars, h.bundle, false));
    }

    private static int lineOf(String playbook, String text) {
        List<String> lines = StockPlaybooks.text(playbook).orElseThrow().lines().toList();
        return lines.indexOf(text) + 1;
    }

    @Test
    void everyShippedFileIsListedAndStartsWithWhenToUseIt() throws Exception {
        Path resources = Path.of("../playbooks/src/main/resources/playbooks");
        try (Stream<Path> files = Files.list(resources)) {
            assertThat(files.map(p -> p.getFileName().toString().replace(".playbook", "")))
                    .containsExactlyInAnyOrderElementsOf(StockPlaybooks.NAMES);
        }
        for (String name : StockPlaybooks.NAMES) {
            assertThat(StockPlaybooks.text(name).orElseThrow()).startsWith("# " + name + ": use ");
            assertThat(StockPlaybooks.summary(name)).startsWith(name + ": use ");
        }
        assertThat(StockPlaybooks.text("nope")).isEmpty();
        assertThat(StockPlaybooks.text("hung-requests.playbook")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hung-requests", "incident-bundle", "lost-wakeups", "blocked-loop"})
    void everyStockPlaybookParsesAgainstTheStandardCommands(String name) throws Exception {
        Harness h = new Harness(dir);
        Playbook p = Playbook.parse(name + ".playbook", StockPlaybooks.text(name).orElseThrow(),
                Map.of(Playbook.BUNDLE_VAR, "/tmp/b"), Map.of(), h.executor);
        assertThat(p.statements()).isNotEmpty();
    }

    @Test
    void hungRequestsFindsThePersistentHangsAndTellsThemFromTheSlow() throws Exception {
        Harness h = new Harness(dir);
        h.target.requestWaitingOnAuth(0);
        h.target.requestWaitingOnAuth(1);
        h.target.requestWaitingOnAuth(0);
        long slow = h.target.requestWaitingOnAuth(1);
        h.clock.advance(Duration.ofSeconds(6));
        // the slow one's auth answers between the first and the second snapshot
        h.clock.schedule(Duration.ofSeconds(3), () -> h.target.complete(1, slow));

        int exit = play(h, "hung-requests", Map.of());

        assertThat(exit).isEqualTo(1);
        assertThat(h.clock.elapsed()).isEqualTo(Duration.ofSeconds(16));
        assertThat(h.executor.executed()).extracting(a -> a.get(0))
                .containsExactly("dump-stuck", "snapshot", "snapshot", "snapshot", "diff", "dump-stuck");
        JsonNode persistent = JsonDocuments.mapper().readTree(h.bundle.resolve("persistent.json").toFile());
        assertThat(persistent.path("persistent").size()).isEqualTo(3);
        assertThat(persistent.path("resolved").size()).isEqualTo(1);
        assertThat(h.bundle.resolve("snapshot-1.json")).exists();
        assertThat(h.bundle.resolve("snapshot-3.json")).exists();
        assertThat(h.bundle.resolve("first-look.json")).exists();
        int line = lineOf("hung-requests", "expect persistent.count == 0");
        assertThat(h.report())
                .contains("**1 of 1 expectations failed** (exit 1)")
                .contains("| " + line + " | `expect persistent.count == 0` | **FAILED** | 3 |")
                .contains("- 3 requests waiting on auth (" + SampleTarget.AUTH.location() + ") after auth-requested; oldest wait 16s")
                .contains("## Persistent across snapshots\n\n`diff " + h.bundle + "/snapshot-1.json " + h.bundle
                        + "/snapshot-3.json --older-than 5s` at 07:00:16.000, `05-diff.json`: 3 persistent (stuck in both:"
                        + " the real hangs), 0 new, 1 resolved (slow, not stuck).\n\n"
                        + "- 3 requests waiting on auth (" + SampleTarget.AUTH.location() + ") after auth-requested; oldest wait 16s\n")
                .contains("| Variables | `interval=5s`, `older_than=5s` |");
        assertThat(h.output.toString()).contains("Persistent (stuck in A and B, no progress in between):")
                .contains("3 requests waiting on auth (" + SampleTarget.AUTH.location() + ") after auth-requested; oldest wait 16s");
    }

    @Test
    void hungRequestsPassesWhenEverythingCompletes() throws Exception {
        Harness h = new Harness(dir);
        long a = h.target.requestWaitingOnAuth(0);
        h.clock.schedule(Duration.ofSeconds(2), () -> h.target.complete(0, a));
        int exit = play(h, "hung-requests", Map.of("interval", "1s"));
        assertThat(exit).isZero();
        assertThat(h.clock.elapsed()).isEqualTo(Duration.ofSeconds(2));
        assertThat(h.report()).contains("every expectation held (1)").contains("Nothing stuck.");
    }

    @Test
    void hungRequestsAgainstAGoneTargetExitsThree() throws Exception {
        Harness h = new Harness(dir);
        h.executor.goAway();
        assertThat(play(h, "hung-requests", Map.of())).isEqualTo(3);
        assertThat(err.toString()).startsWith("routerctl play: the target cannot be reached: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocked-loop:blocked-loop"})
    void playbooksNeedingAMissingDetectorSaySoAndExitTwo(String pair) throws Exception {
        String name = pair.split(":")[0];
        String detector = pair.split(":")[1];
        Harness h = new Harness(dir);
        h.target.requestWaitingOnAuth(0);
        h.clock.advance(Duration.ofSeconds(30));
        int exit = play(h, name, Map.of());
        assertThat(exit).isEqualTo(2);
        assertThat(h.executor.executed()).isEmpty();
        assertThat(err.toString()).isEqualTo("routerctl play: this playbook needs the '" + detector + "' detector (line "
                + lineOf(name, "require detector " + detector) + "), which the target does not run (it runs: lost-wakeup, slow, orphaned); nothing was checked, so nothing can be concluded\n");
        assertThat(h.report()).contains("playbook error** (exit 2)").contains("| `require detector " + detector + "` | MISSING |");
    }

    @Test
    void lostWakeupsRunsOnceTheTargetHasTheDetector() throws Exception {
        Harness h = new Harness(dir);
        assertThat(play(h, "lost-wakeups", Map.of())).isZero();
        assertThat(h.bundle.resolve("stuck.json")).exists();
    }

    @Test
    void incidentBundleGathersEverythingWorthATicket() throws Exception {
        Harness h = new Harness(dir);
        h.target.requestWaitingOnUpstream(1);
        h.clock.advance(Duration.ofSeconds(8));
        int exit = play(h, "incident-bundle", Map.of());
        assertThat(exit).isEqualTo(1);
        try (Stream<Path> files = Files.list(h.bundle)) {
            assertThat(files.map(p -> p.getFileName().toString())).contains(
                    "dump-stuck.json", "loops.json", "snapshot.json", "incident-bundle.playbook", "report.md",
                    "01-dump-stuck.json", "02-loops.json", "03-snapshot.json");
        }
        assertThat(h.report()).contains("- 1 request waiting on upstream (" + SampleTarget.UPSTREAM.location() + ") after upstream-request-sent; oldest wait 8s");
    }
}
