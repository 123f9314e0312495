package io.routerctl.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.InProcessTarget;
import io.routerctl.console.testing.StuckFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code --json} document, printed by the real command against a live target, is valid
 * against its schema in {@code docs/schemas}: the schemas are what scripts can rely on, so they
 * must describe what routerctl prints, and every field it prints. The published schemas allow
 * fields they do not name (within a version fields are only ever added, and readers ignore what they
 * do not know); the test validates against a strict copy, every object closed to unnamed fields, so
 * a field routerctl prints but the schema does not describe fails here.
 */
class JsonSchemasTest {

    static final Path SCHEMAS = Path.of("..", "docs", "schemas").toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();
    static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            // Only the schema files beside the docs are read; nothing is fetched from the network.
            b -> b.schemaLoader(l -> l.fetchRemoteResources(true).allow(iri -> iri.toString().startsWith("file:"))));

    @TempDir
    Path dir;

    @TempDir
    static Path strictDir;

    private final StuckFixture fixture = new StuckFixture();
    private InProcessTarget target;
    private long stuckRequest;

    @BeforeEach
    void startATargetWithStuckWork() throws IOException {
        stuckRequest = fixture.requestWaitingOnAuth(40112);
        fixture.siblingWaitingOnAuth(stuckRequest, 40112);
        fixture.requestAfterRoute(40388);
        fixture.advance(Duration.ofSeconds(12));
        target = new InProcessTarget(dir.resolve("attach"), fixture.registry());
    }

    @AfterEach
    void stop() {
        target.close();
    }

    /** The strict copy of the schema {@code name}: every object with properties closed to others. */
    static Schema schema(String name) {
        return REGISTRY.getSchema(SchemaLocation.of(strict().resolve(name + ".schema.json").toUri().toString()));
    }

    /** The published schema {@code name}, as a consumer reads it. */
    static Schema published(String name) {
        return REGISTRY.getSchema(SchemaLocation.of(SCHEMAS.resolve(name + ".schema.json").toUri().toString()));
    }

    private static Path strict() {
        try {
            if (!Files.exists(strictDir.resolve("common.schema.json"))) {
                try (var files = Files.list(SCHEMAS)) {
                    for (Path f : files.toList()) {
                        JsonNode tree = JSON.readTree(f.toFile());
                        close(tree);
                        JSON.writeValue(strictDir.resolve(f.getFileName().toString()).toFile(), tree);
                    }
                }
            }
            return strictDir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void close(JsonNode node) {
        if (node instanceof ObjectNode o && o.has("properties") && !o.has("additionalProperties")) {
            o.put("additionalProperties", false);
        }
        node.forEach(JsonSchemasTest::close);
    }

    /** The errors {@code document} has against the schema {@code name}; empty when valid. */
    static List<String> errors(String name, JsonNode document) {
        return schema(name).validate(document).stream().map(Error::toString).toList();
    }

    private JsonNode json(String... args) throws IOException {
        Cli.Result r = target.run(args);
        assertThat(r.exitCode()).as(r.toString()).isIn(0, 1);
        return JSON.readTree(r.out());
    }

    private void assertValid(String schema, JsonNode document) {
        assertThat(errors(schema, document)).as(schema + ":\n" + document.toPrettyString()).isEmpty();
        assertThat(published(schema).validate(document)).as("the published " + schema + " schema").isEmpty();
    }

    @Test
    void everyDocumentOfEveryCommandIsValidAgainstItsSchema() throws Exception {
        JsonNode dump = json("dump-stuck", "--json", "--gc");
        assertThat(dump.path("tasks").size()).isGreaterThanOrEqualTo(2);
        assertValid("dump-stuck", dump);
        assertValid("list", json("list", "--json"));
        assertValid("loops", json("loops", "--json"));
        assertValid("task", json("task", dump.path("tasks").get(0).path("id").asText(), "--json"));

        Path snapshot = dir.resolve("s.json");
        assertValid("snapshot-result", json("snapshot", "-o", snapshot.toString(), "--json"));
        assertValid("snapshot", JSON.readTree(Files.readString(snapshot)));
        fixture.advance(Duration.ofSeconds(3));
        assertValid("diff", json("diff", snapshot.toString(), "live", "--json"));
        assertValid("loops", json("loops", "--from", snapshot.toString(), "--json"));

        assertValid("play", json("play", "lost-wakeups", "--json", "--out", dir.resolve("bundle").toString()));
        assertValid("play", json("play", "hung-requests", "--json", "--dry-run"));
    }

    @Test
    void aDocumentMissingAFieldOrWithAnUnknownOneIsRejected() throws Exception {
        JsonNode dump = json("dump-stuck", "--json");
        ObjectNode missing = dump.deepCopy();
        ((ObjectNode) missing.path("tasks").get(0)).remove("waiting_on");
        assertThat(errors("dump-stuck", missing)).isNotEmpty();
        ObjectNode extra = dump.deepCopy();
        ((ObjectNode) extra.path("summary")).put("surprise", 1);
        assertThat(errors("dump-stuck", extra)).as("strict: a field the schema does not describe").isNotEmpty();
        assertThat(published("dump-stuck").validate(extra)).as("published: readers ignore new fields").isEmpty();
        ObjectNode wrongKind = dump.deepCopy();
        ((ObjectNode) wrongKind.path("tasks").get(0)).put("kind", "fiber");
        assertThat(errors("dump-stuck", wrongKind)).isNotEmpty();
    }

    @Test
    void everySchemaFileIsUsedByThisTest() throws IOException {
        try (var files = Files.list(SCHEMAS)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                    "common.schema.json", "diff.schema.json", "dump-stuck.schema.json", "list.schema.json",
                    "loops.schema.json", "play.schema.json", "snapshot-result.schema.json", "snapshot.schema.json",
                    "task.schema.json");
        }
    }
}
