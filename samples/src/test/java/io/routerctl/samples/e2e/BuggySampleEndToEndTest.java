package io.routerctl.samples.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The story end to end with real processes: {@code routerctl sample --auth-adapter buggy} runs as its
 * own JVM, this test drives concurrent load at it and remembers which requests never got an answer,
 * and the real {@code routerctl} command line must name exactly those, by the client's socket address.
 * The last test lets the clients go and expects their tasks to leave with them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuggySampleEndToEndTest {

    /** dump-stuck's threshold; the test waits until every unanswered request is older than SETTLED. */
    private static final String OLDER_THAN = "1s";
    private static final Duration SETTLED = Duration.ofMillis(1_800);
    /** Generous: CI machines with two cores run several builds at once. */
    private static final String ATTACH_TIMEOUT = "20s";

    /** The settings file docs/ tells users to record routerctl's events with. */
    private static final Path JFC = Path.of("..", "docs", "jfr", "routerctl.jfc").toAbsolutePath().normalize();

    @TempDir
    static Path attachDir;

    private static SampleRouterProcess sample;
    private static StuckLoad load;
    private static Cli cli;

    @BeforeAll
    static void startTheSampleAndLeaveSomeRequestsHanging() throws Exception {
        // As a fleet would run it: a Prometheus endpoint, and a JFR recording with routerctl's events
        // (the documented settings file), stuck counted at this test's threshold.
        sample = SampleRouterProcess.start("buggy", attachDir, Duration.ofSeconds(30), List.of("-Xmx256m",
                        "-Drouterctl.metrics.olderThanMs=1000", "-Drouterctl.metrics.refreshMs=200",
                        "-XX:StartFlightRecording:name=routerctl,settings=" + JFC + ",+routerctl.StuckTasks#period=1s"),
                List.of("--metrics-port", "0"));
        load = new StuckLoad();
        load.driveUntilSomethingHangs(sample.host(), sample.port(), SETTLED);
        cli = new Cli(attachDir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (load != null) {
            load.close();
        }
        if (sample != null) {
            sample.close();
        }
    }

    @Test
    @Order(1)
    void dumpStuckListsExactlyTheRequestsThatGotNoResponse() throws Exception {
        // What the client saw must not change while dump-stuck looks: a request still answered late was
        // slow, not hung, and makes the comparison void (retried, with a deadline).
        Set<String> before = Set.of();
        Cli.Result r = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            before = load.unanswered();
            r = cli.run("dump-stuck", "--timeout", ATTACH_TIMEOUT, "--json", "--socket", sample.socket().toString(),
                    "--older-than", OLDER_THAN, "--limit", "10000");
            if (load.unanswered().equals(before)) {
                break;
            }
        }
        assertThat(load.unanswered()).as("the unanswered requests settled").isEqualTo(before);
        Set<String> unanswered = before;
        Cli.Result again = cli.run("dump-stuck", "--timeout", ATTACH_TIMEOUT, "--json", "--socket",
                sample.socket().toString(), "--older-than", OLDER_THAN, "--limit", "10000");
        System.out.printf("dump-stuck --json against the loaded sample: %d ms the first time in this JVM, %d ms "
                + "the second (%s, %d unanswered)%n", r.millis(), again.millis(), load.totals(), unanswered.size());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = r.json();
        assertThat(doc.path("schema").asText()).isEqualTo("routerctl.dump-stuck/1");
        assertThat(doc.path("target").path("pid").asLong()).isEqualTo(sample.pid()).isEqualTo(sample.processPid());
        assertThat(doc.path("summary").path("truncated").asBoolean()).isFalse();

        List<JsonNode> requests = new ArrayList<>();
        doc.path("tasks").forEach(t -> {
            if (t.path("kind").asText().equals("request")) {
                requests.add(t);
            }
        });
        Set<String> listed = new TreeSet<>();
        requests.forEach(t -> listed.add(t.path("remote").asText()));
        assertThat(listed).as("remote addresses dump-stuck lists vs. clients that got no response")
                .isEqualTo(unanswered);
        assertThat(requests).as("one stuck request per hung client").hasSize(unanswered.size());
        assertThat(requests).allSatisfy(t -> {
            assertThat(t.path("local").asText()).isEqualTo(sample.routerAddress());
            assertThat(t.path("last_step").asText()).isEqualTo("auth-requested");
            assertThat(t.path("waiting_on").asText()).isEqualTo("auth");
            assertThat(t.path("state").asText()).isEqualTo("waiting");
            assertThat(t.path("waiting_ms").asLong()).isGreaterThanOrEqualTo(1_000);
            List<String> steps = new ArrayList<>();
            t.path("steps").forEach(s -> steps.add(s.path("name").asText()));
            assertThat(steps).containsSubsequence("request-read", "route-resolved", "auth-requested")
                    .doesNotContain("auth-completed", "response-written");
        });

        Cli.Result failing = cli.run("dump-stuck", "--timeout", ATTACH_TIMEOUT, "--socket", sample.socket().toString(),
                "--older-than", OLDER_THAN, "--limit", "10000", "--fail-if-stuck");
        assertThat(failing.exitCode()).as(failing.toString()).isEqualTo(1);
        // The group sentence's wording is dump-stuck's to refine; its facts are what the user relies on.
        assertThat(failing.out()).contains(unanswered.iterator().next())
                .containsPattern(unanswered.size() + " requests?\\b.*waiting on auth")
                .contains("auth-requested", "stuck " + unanswered.size() + " (showing " + unanswered.size() + ")");
    }

    @Test
    @Order(2)
    void ssShowsTheStuckRequestsConnectionWithTheSameAddresses() throws Exception {
        String ss = ss();
        assumeTrue(ss != null, "ss is not available here");
        String remote = load.unanswered().iterator().next();
        List<String> connection = ss.lines().map(String::trim).map(l -> List.of(l.split("\\s+")))
                .filter(cols -> cols.size() >= 5 && cols.get(3).equals(sample.routerAddress())
                        && cols.get(4).equals(remote))
                .map(cols -> String.join(" ", cols)).toList();
        assertThat(connection).as("ss -tn lines with local %s and peer %s in:%n%s", sample.routerAddress(), remote, ss)
                .singleElement().asString().startsWith("ESTAB");
    }

    @Test
    @Order(3)
    void topShowsTheHungRequestsTheirTimelineAndRestoresTheTerminal() throws Exception {
        TopOnVirtualTerminal.checkAgainst(sample.socket(), sample.routerAddress(), load::unanswered);
    }

    @Test
    @Order(4)
    void aPrometheusScrapeCountsTheStuckRequestsOnAuth() throws Exception {
        Set<String> unanswered = load.unanswered();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String line = "routerctl_tasks_stuck{kind=\"request\",point=\"auth\"} " + unanswered.size() + ".0";
        String[] last = {""};
        Deadline.await(Duration.ofSeconds(20), "the scrape counts " + unanswered.size() + " requests stuck on auth", () -> {
            String url = sample.metricsUrl();
            if (url == null) {
                return false;
            }
            try {
                last[0] = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            return last[0].lines().anyMatch(line::equals);
        }, () -> last[0]);
        assertThat(last[0]).containsPattern("routerctl_tasks_stuck_oldest_seconds\\{kind=\"request\",point=\"auth\"} [1-9]")
                .contains("routerctl_tasks_inflight{kind=\"request\"}")
                .containsPattern("(?m)^routerctl_wakeups_lost_total [0-9.]+$");
    }

    @Test
    @Order(5)
    void aJfrRecordingReadBackWithJfrHoldsTheLostWakeupsAndTheStuckSummary() throws Exception {
        Set<String> unanswered = load.unanswered();
        Cli.Result gc = cli.run("dump-stuck", "--timeout", ATTACH_TIMEOUT, "--socket", sample.socket().toString(),
                "--older-than", OLDER_THAN, "--gc");
        assertThat(gc.exitCode()).as(gc.toString()).isZero();
        Path recording = attachDir.resolve("routerctl.jfr");
        String bin = Path.of(System.getProperty("java.home"), "bin").toString();
        run(bin + "/jcmd", Long.toString(sample.pid()), "JFR.dump", "name=routerctl", "filename=" + recording);
        String lost = run(bin + "/jfr", "print", "--events", "routerctl.LostWakeup", recording.toString());
        for (String client : unanswered) {
            assertThat(lost).as("a lost wake-up event for the hung client " + client)
                    .contains("remote = \"" + client + "\"");
        }
        assertThat(lost).contains("point = \"auth\"").containsPattern("codeLocation = \"RouterPoints.java:[0-9]+\"")
                .contains("lastStep = \"auth-requested\"");
        String summary = run(bin + "/jfr", "print", "--events", "routerctl.StuckTasks", recording.toString());
        assertThat(summary).contains("point = \"auth\"").contains("stuck = " + unanswered.size());
    }

    /** Runs a JDK tool; its output, or a failed assertion with it. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }

    @Test
    @Order(6)
    void hungRequestsLeaveWhenTheirClientsDisconnect() {
        load.close();
        String[] last = {""};
        Deadline.await(Duration.ofSeconds(20), "no request in flight after the clients left", () -> {
            Cli.Result r = cli.run("dump-stuck", "--timeout", ATTACH_TIMEOUT, "--json", "--socket", sample.socket().toString(),
                    "--older-than", "0s");
            last[0] = r.toString();
            try {
                return r.exitCode() == 0 && r.json().path("summary").path("stuck").asInt() == 0;
            } catch (IOException e) {
                throw new AssertionError(r.toString(), e);
            }
        }, () -> last[0]);
    }

    /** {@code ss -tn}'s output, or null where ss cannot run. */
    private static String ss() throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("ss", "-tn").redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        try (InputStream in = p.getInputStream()) {
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        }
    }
}
