package io.routerctl.probes.wire;

import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The v1 format, pinned by golden fixtures read both ways, and the request checks. */
class WireCodecTest {

    static List<String> fixture(String name) throws IOException {
        try (InputStream in = WireCodecTest.class.getResourceAsStream("/wire/v1/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            return lines;
        }
    }

    /** A request has an op and no type; everything else a server sends. */
    static WireMessage decodeAny(String line) throws WireException {
        return line.contains("\"type\":") ? WireCodec.decodeServerMessage(line) : WireCodec.decodeRequest(line);
    }

    /** Decodes a result's body into its typed records and encodes them again. */
    static WireMessage retype(WireMessage m) throws WireException {
        if (!(m instanceof WireMessage.Result r)) {
            return m;
        }
        Map<?, ?> body = (Map<?, ?>) r.result();
        Object typed = switch (r.op()) {
            case QUERY -> WireCodec.read(body, TaskReport.class);
            case HELLO -> Map.of("target", WireCodec.read(body.get("target"), TargetInfo.class));
            case LOOPS -> Map.of("loops", WireCodec.readList(body.get("loops"), LoopSnapshot.class));
            case POINTS -> Map.of("points", WireCodec.readList(body.get("points"), PointSnapshot.class));
            case TASK -> WireCodec.read(body, TaskFamily.class);
            case GC -> WireCodec.read(body, io.routerctl.probes.attach.GcResult.class);
            case DETACH -> Map.of("detached", (String) body.get("detached"));
            default -> Map.of("subscription", (Long) body.get("subscription"));
        };
        return new WireMessage.Result(r.id(), r.op(), typed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello.jsonl", "query.jsonl", "update.jsonl", "ops.jsonl"})
    void everyGoldenLineDecodesToRecordsThatEncodeToTheSameLine(String name) throws Exception {
        for (String line : fixture(name)) {
            WireMessage decoded = retype(decodeAny(line));
            assertThat(WireCodec.encode(decoded)).as("re-encoded %s", decoded.getClass().getSimpleName()).isEqualTo(line);
        }
    }

    /**
     * The first v1 lines, written before later additive fields (stuck_rule, lost_wakeups,
     * wait_p99_ms, points, health): an older target's messages must still decode, the missing
     * fields taking their empty values.
     */
    @ParameterizedTest
    @ValueSource(strings = {"initial-hello.jsonl", "initial-query.jsonl", "initial-update.jsonl", "initial-ops.jsonl"})
    void linesFromBeforeLaterAdditiveFieldsStillDecode(String name) throws Exception {
        for (String line : fixture(name)) {
            WireMessage decoded = retype(decodeAny(line));
            assertThat(decoded).isNotNull();
        }
        if (name.equals("initial-query.jsonl")) {
            TaskReport report = WireCodec.read(((WireMessage.Result) decodeAny(fixture(name).get(2))).result(), TaskReport.class);
            assertThat(report.points()).isEmpty();
            assertThat(report.groups().get(0).lostWakeups()).isZero();
            assertThat(report.groups().get(0).waitP99Ms()).isNull();
        }
    }

    @Test
    void theGoldenHelloAndReportCarryTheDocumentedValues() throws Exception {
        WireMessage.Hello hello = (WireMessage.Hello) decodeAny(fixture("hello.jsonl").get(0));
        assertThat(hello.target()).isEqualTo(new TargetInfo(4242, "sample-router", 1764050000000L, 5120, 2, 1, "17.0.15"));

        WireMessage.Result result = (WireMessage.Result) decodeAny(fixture("query.jsonl").get(2));
        TaskReport report = WireCodec.read(result.result(), TaskReport.class);
        TaskSnapshot t = report.tasks().get(0);
        assertThat(t.remote()).isEqualTo("127.0.0.1:40112");
        assertThat(t.waitingMs()).isEqualTo(9790L);
        assertThat(t.steps().get(1).atMs()).isEqualTo(0.012);
        assertThat(t.warnings()).containsExactly("lost-wakeup");
        assertThat(report.groups().get(0).count()).isEqualTo(1);

        WireMessage.Update update = (WireMessage.Update) decodeAny(fixture("update.jsonl").get(2));
        assertThat(update.dropped()).isEqualTo(2);
        assertThat(update.loops()).extracting(LoopSnapshot::name).containsExactly("loop-0", "loop-1");

        WireMessage.Request query = WireCodec.decodeRequest(fixture("query.jsonl").get(1));
        assertThat(query.query()).isEqualTo(new TaskQuery(false, 0, "auth|upstream", List.of(TaskKind.REQUEST, TaskKind.FUTURE),
                TaskQuery.Sort.REMOTE, true, 10_000));
    }

    @Test
    void aQueryWithoutFieldsTakesTheDocumentedDefaults() throws Exception {
        WireMessage.Request r = WireCodec.decodeRequest("{\"v\":1,\"id\":1,\"op\":\"query\",\"query\":{}}");
        assertThat(r.query()).isEqualTo(new TaskQuery(false, 5_000, null, List.of(), TaskQuery.Sort.IDLE, false, 100));
        WireMessage.Request s = WireCodec.decodeRequest("{\"v\":1,\"id\":2,\"op\":\"subscribe\",\"extra\":[1]}");
        assertThat(s.intervalMs()).isEqualTo(1_000);
        assertThat(s.query().limit()).isEqualTo(100);
    }

    @Test
    void theAdaptiveRuleCrossesTheWireOnlyWhenOn() throws Exception {
        TaskQuery on = TaskQuery.stuck(5_000, 100).withAdaptive(true);
        assertThat(WireCodec.encodeQuery(on).get("adaptive")).isEqualTo(true);
        assertThat(WireCodec.decodeQuery(WireCodec.encodeQuery(on))).isEqualTo(on);
        assertThat(WireCodec.encodeQuery(TaskQuery.stuck(5_000, 100))).doesNotContainKey("adaptive");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json at all|bad_request|not JSON",
            "[1,2]|bad_request|a request must be a JSON object, got an array",
            "{\"id\":1,\"op\":\"hello\"}|bad_request|v is missing",
            "{\"v\":2,\"id\":1,\"op\":\"hello\"}|unsupported_version|this side speaks protocol version 1, got 2",
            "{\"v\":1,\"op\":\"hello\"}|bad_request|id is missing",
            "{\"v\":1,\"id\":\"x\",\"op\":\"hello\"}|bad_request|id must be an integer",
            "{\"v\":1,\"id\":1}|bad_request|op is missing",
            "{\"v\":1,\"id\":1,\"op\":\"reboot\"}|unknown_op|no operation named 'reboot'",
            "{\"v\":1,\"id\":1,\"op\":\"query\",\"query\":{\"limit\":0}}|bad_request|limit must be between 1 and 10000, got 0",
            "{\"v\":1,\"id\":1,\"op\":\"query\",\"query\":{\"older_than_ms\":-1}}|bad_request|older_than_ms must be >= 0, got -1",
            "{\"v\":1,\"id\":1,\"op\":\"query\",\"query\":{\"filter\":\"(\"}}|bad_request|filter is not a valid regular expression",
            "{\"v\":1,\"id\":1,\"op\":\"query\",\"query\":{\"kinds\":[\"fiber\"]}}|bad_request|kinds may hold connection, request, future, thread; got \"fiber\"",
            "{\"v\":1,\"id\":1,\"op\":\"query\",\"query\":{\"sort\":\"size\"}}|bad_request|sort must be one of idle, age, id",
            "{\"v\":1,\"id\":1,\"op\":\"query\",\"query\":{\"stuck_only\":\"yes\"}}|bad_request|stuck_only must be true or false",
            "{\"v\":1,\"id\":1,\"op\":\"query\",\"query\":[]}|bad_request|query must be an object, got an array",
            "{\"v\":1,\"id\":1,\"op\":\"subscribe\",\"interval_ms\":5}|bad_request|interval_ms must be between 100 and 60000, got 5",
            "{\"v\":1,\"id\":1,\"op\":\"task\"}|bad_request|task is missing",
            "{\"v\":1,\"id\":1,\"op\":\"task\",\"task\":1.5}|bad_request|task must be an integer, got 1.5",
            "{\"v\":1,\"id\":1,\"op\":\"unsubscribe\"}|bad_request|subscription is missing",
            "{\"v\":1,\"id\":1,\"op\":\"resubscribe\",\"subscription\":1}|bad_request|query is missing",
    })
    void aBadRequestIsRefusedWithTheDocumentedCodeAndAClearMessage(String line, String code, String message) {
        WireException e = catchThrowableOfType(WireException.class, () -> WireCodec.decodeRequest(line));
        assertThat(e).as("decoding %s", line).isNotNull();
        assertThat(e.code().wireName()).isEqualTo(code);
        assertThat(e.getMessage()).startsWith(message).doesNotContain("\n");
    }

    @Test
    void errorsAfterTheIdAnswerThatId() {
        WireException e = catchThrowableOfType(WireException.class,
                () -> WireCodec.decodeRequest("{\"v\":1,\"id\":42,\"op\":\"nope\"}"));
        assertThat(e.requestId()).isEqualTo(42L);
        WireException early = catchThrowableOfType(WireException.class, () -> WireCodec.decodeRequest("{\"v\":1}"));
        assertThat(early.requestId()).isNull();
    }

    @Test
    void aServerMessageOfAnotherVersionIsRefused() {
        assertThatThrownBy(() -> WireCodec.decodeServerMessage("{\"v\":2,\"type\":\"hello\",\"target\":{}}"))
                .isInstanceOfSatisfying(WireException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_VERSION));
    }
}
