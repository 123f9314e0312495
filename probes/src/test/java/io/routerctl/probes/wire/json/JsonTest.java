package io.routerctl.probes.wire.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.snapshot.TaskState;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * probes' own JSON against Jackson, the oracle: whatever one writes the other reads as the same
 * tree, and broken or hostile text is refused with a {@link JsonException}, never anything else.
 */
class JsonTest {

    private static final ObjectMapper JACKSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    @Property(tries = 400)
    void whatWeWriteJacksonReadsAsTheSameTree(@ForAll("trees") Object tree) throws Exception {
        String ours = Json.write(tree);
        assertThat(ours).doesNotContain("\n");
        assertThat(normalise(JACKSON.readValue(ours, Object.class))).isEqualTo(normalise(tree));
    }

    @Property(tries = 400)
    void whatJacksonWritesWeReadAsTheSameTree(@ForAll("trees") Object tree) throws Exception {
        String theirs = JACKSON.writeValueAsString(tree);
        assertThat(normalise(Json.parse(theirs, JsonReader.Limits.FILES))).isEqualTo(normalise(tree));
    }

    @Property(tries = 2000)
    void brokenTextIsRefusedCleanlyOrReadAsJacksonReadsIt(@ForAll("mutations") String text) {
        Object ours;
        try {
            ours = Json.parse(text);
        } catch (JsonException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
            return;
        }
        Object theirs;
        try {
            theirs = JACKSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError("we accepted what Jackson refuses: " + text, e);
        }
        assertThat(normalise(ours)).as("tree of %s", text).isEqualTo(normalise(theirs));
    }

    @Test
    void limitsAreEnforcedWithAOneLineReason() throws Exception {
        assertThatThrownBy(() -> Json.parse("[".repeat(65) + "]".repeat(65)))
                .isInstanceOf(JsonException.class).hasMessageStartingWith("nested deeper than 64 levels");
        assertThat(Json.parse("[".repeat(64) + "]".repeat(64))).isInstanceOf(List.class);
        assertThatThrownBy(() -> Json.parse("1" + "0".repeat(70)))
                .isInstanceOf(JsonException.class).hasMessageStartingWith("a number longer than 64 characters");
        assertThatThrownBy(() -> Json.parse("{\"a\":1} x"))
                .isInstanceOf(JsonException.class).hasMessage("unexpected 'x' after the JSON value at column 9");
        assertThatThrownBy(() -> Json.parse("\"a\tb\""))
                .isInstanceOf(JsonException.class).hasMessageContaining("control character (0x9)");
        assertThatThrownBy(() -> Json.parse(""))
                .isInstanceOf(JsonException.class).hasMessage("no JSON value (empty text)");
    }

    @Test
    void numbersKeepTheirKind() throws Exception {
        assertThat(Json.parse("[1,-0,9223372036854775807,9223372036854775808,1.5,1e3]"))
                .isEqualTo(List.of(1L, 0L, Long.MAX_VALUE, new java.math.BigInteger("9223372036854775808"), 1.5, 1000.0));
    }

    @Test
    void recordsRoundTripBySnakeCaseComponentsAndEnumsByWireName() throws Exception {
        TaskSnapshot t = new TaskSnapshot(2561, TaskKind.REQUEST, 2305L, "127.0.0.1:40112", "127.0.0.1:8080", "loop-0",
                9800, TaskState.WAITING, "auth-requested", 9790L, "auth", 9790L, "RouterPoints.java:17", true, 9790,
                List.of(new StepSnapshot("request-read", 0.0), new StepSnapshot("route-resolved", 0.012)), 0,
                List.of("lost-wakeup"), "older-than");
        String line = Json.write(t);
        assertThat(line).startsWith("{\"id\":2561,\"kind\":\"request\",\"parent\":2305,")
                .contains("\"state\":\"waiting\"", "\"last_step_ago_ms\":9790", "{\"name\":\"route-resolved\",\"at_ms\":0.012}");
        assertThat(Json.read(Json.parse(line), TaskSnapshot.class)).isEqualTo(t);
        assertThat(JACKSON.readTree(line).get("waiting_at").asText()).isEqualTo("RouterPoints.java:17");
    }

    @Test
    void aTreeThatDoesNotFitTheRecordSaysWhere() {
        assertThatThrownBy(() -> Json.read(Json.parse("{\"id\":\"x\",\"kind\":\"request\",\"state\":\"running\"}"),
                TaskSnapshot.class)).isInstanceOf(JsonException.class).hasMessage("TaskSnapshot.id must be an integer, got \"x\"");
        assertThatThrownBy(() -> Json.read(Json.parse("{\"id\":1,\"kind\":\"fiber\",\"state\":\"running\"}"),
                TaskSnapshot.class)).isInstanceOf(JsonException.class).hasMessageStartingWith("TaskSnapshot.kind must be one of");
        assertThatThrownBy(() -> Json.read(Json.parse("{\"id\":1,\"state\":\"running\"}"), TaskSnapshot.class))
                .isInstanceOf(JsonException.class).hasMessageContaining("not a valid TaskSnapshot: kind");
    }

    @Test
    void controlCharactersAreEscapedAsJacksonEscapesThem() throws Exception {
        String hostile = "a\u001b[2Jb\r\n\t\"\\\u0000\u007f\u2028é";
        assertThat(Json.write(hostile)).isEqualTo(JACKSON.writeValueAsString(hostile));
        assertThat(Json.parse(Json.write(hostile))).isEqualTo(hostile);
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<Object> trees() {
        return tree(4);
    }

    private Arbitrary<Object> tree(int depth) {
        Arbitrary<Object> scalars = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(12).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().filter(d -> !Double.isNaN(d) && !Double.isInfinite(d)).map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        if (depth == 0) {
            return scalars;
        }
        Arbitrary<Object> inner = Arbitraries.lazy(() -> tree(depth - 1));
        Arbitrary<Object> lists = inner.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l));
        Arbitrary<Object> maps = Arbitraries.maps(Arbitraries.strings().all().ofMaxLength(6), inner).ofMaxSize(4)
                .map(m -> (Object) new LinkedHashMap<>(m));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, scalars), net.jqwik.api.Tuple.of(1, lists), net.jqwik.api.Tuple.of(1, maps));
    }

    @Provide
    Arbitrary<String> mutations() {
        Arbitrary<String> valid = trees().map(Json::write);
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 200);
        Arbitrary<Character> junk = Arbitraries.of('{', '}', '[', ']', '"', '\\', ',', ':', '-', '0', '9', 'e', '.',
                't', 'n', ' ', '\u0001', 'x');
        return net.jqwik.api.Combinators.combine(valid, position, junk, Arbitraries.integers().between(0, 2))
                .as((text, at, c, how) -> {
                    int i = Math.min(at, text.length());
                    return switch (how) {
                        case 0 -> text.substring(0, i) + c + text.substring(i);           // insert
                        case 1 -> i < text.length() ? text.substring(0, i) + text.substring(i + 1) : text + c; // delete
                        default -> text.substring(0, i);                                // truncate
                    };
                });
    }

    /** Integers of any Java type compare as the same JSON integer. */
    private static JsonNode normalise(Object tree) {
        return JACKSON.valueToTree(normaliseValue(tree));
    }

    private static Object normaliseValue(Object tree) {
        if (tree instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), normaliseValue(v)));
            return out;
        }
        if (tree instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(normaliseValue(v)));
            return out;
        }
        if (tree instanceof Number n && !(tree instanceof Double)) {
            return new java.math.BigInteger(n.toString());
        }
        return tree;
    }
}
