package io.routerctl.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.console.json.DumpStuckDocument;
import io.routerctl.console.json.JsonOutput;
import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.StuckFixture;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.playbooks.JsonDocuments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README and docs/ say what the code does: they are checked against it here. */
class DocsTest {

    static final Path REPO = Path.of("..");
    static final Path README = REPO.resolve("README.md");
    static final Path SCHEMA_DOC = REPO.resolve("docs/dump-stuck-schema.md");

    @TempDir
    Path attachDir;

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    @Test
    void readmeUsageBlockIsRouterctlHelp() throws IOException {
        Matcher m = Pattern.compile("<!-- usage:begin -->\n```\n(.*?)```\n<!-- usage:end -->", Pattern.DOTALL)
                .matcher(read(README));
        assertThat(m.find()).as("README.md has a usage block between <!-- usage:begin --> and <!-- usage:end -->")
                .isTrue();
        String help = new Cli(attachDir).run("--help").out();
        assertThat(m.group(1)).as("README.md's usage block must be `routerctl --help` verbatim; paste it from "
                + "console/src/test/resources/golden/routerctl.txt").isEqualTo(help);
    }

    @Test
    void everyCommandTheReadmeRunsExists() throws IOException {
        Set<String> known = new TreeSet<>(new Cli(attachDir).run("--help").out().lines()
                .filter(l -> l.matches("  [a-z][a-z-]+ {2,}.*"))
                .map(l -> l.trim().split(" ")[0])
                .toList());
        known.add("sample"); // the launcher sends it to the samples jar
        Matcher m = Pattern.compile("\\./routerctl ([a-z][a-z-]*)").matcher(read(README));
        int seen = 0;
        while (m.find()) {
            seen++;
            assertThat(known).as("README.md runs ./routerctl " + m.group(1)).contains(m.group(1));
        }
        assertThat(seen).isGreaterThan(3);
    }

    @Test
    void readmeTestCommandIsWhatCiRuns() throws IOException {
        String ci = read(REPO.resolve(".ci/run"));
        String command = ci.lines().reduce((a, b) -> b).orElseThrow().trim();
        assertThat(command).startsWith("mvn ");
        assertThat(read(README)).contains("\n" + command + "\n");
    }

    @Test
    void schemaDocExampleHasExactlyTheFieldsTheCommandWrites() throws IOException {
        StuckFixture fixture = new StuckFixture();
        fixture.requestWaitingOnAuth(40112);
        fixture.advance(Duration.ofMillis(12_400));
        DumpStuckDocument doc = DumpStuckDocument.of(
                new TargetInfo(4242, "sample-router", 1_764_050_000_000L, 65_000, 2, 1, "17.0.15"),
                Path.of("/tmp/routerctl-alice/4242.sock"), 5_000, 100,
                fixture.registry().query(TaskQuery.stuck(5_000, 100)), List.of(),
                new io.routerctl.probes.attach.GcResult(2, 2, 48));
        JsonNode written = JsonDocuments.mapper().readTree(JsonOutput.pretty(doc));

        Matcher m = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL).matcher(read(SCHEMA_DOC));
        assertThat(m.find()).as("docs/dump-stuck-schema.md has a ```json example").isTrue();
        JsonNode example = JsonDocuments.mapper().readTree(m.group(1));
        assertThat(fieldPaths(example, "")).as("fields of the example in docs/dump-stuck-schema.md; the command "
                + "writes for instance:\n" + JsonOutput.pretty(doc)).isEqualTo(fieldPaths(written, ""));
        assertThat(example.get("schema").asText()).isEqualTo(DumpStuckDocument.SCHEMA);
        JsonDocuments.mapper().treeToValue(example, DumpStuckDocument.class);
    }

    private static Set<String> fieldPaths(JsonNode node, String at) {
        Set<String> out = new TreeSet<>();
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                out.add(at + "/" + n);
                out.addAll(fieldPaths(node.get(n), at + "/" + n));
            }
        } else if (node.isArray() && node.size() > 0) {
            out.addAll(fieldPaths(node.get(0), at + "[]"));
        }
        return out;
    }
}
