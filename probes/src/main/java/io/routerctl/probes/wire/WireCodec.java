package io.routerctl.probes.wire;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Encodes {@link WireMessage}s as single JSON lines and decodes them, checking every field a
 * request carries so that a bad request gets a precise one-line error, never an exception out of
 * the server. Field names and order follow {@code docs/protocol.md}; the golden fixtures under
 * {@code src/test/resources/wire/v1} pin the format.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. No method returns {@code null} unless it says so.
 */
public final class WireCodec {

    /** Bounds of a subscription's {@code interval_ms}. */
    public static final long MIN_INTERVAL_MS = 100;
    public static final long MAX_INTERVAL_MS = 60_000;
    /** The interval used when a subscribe request gives none. */
    public static final long DEFAULT_INTERVAL_MS = 1_000;

    private static final ObjectMapper MAPPER = WireJson.mapper();
    private static final List<String> KINDS = List.of("connection", "request", "future");

    private WireCodec() {
    }

    // ---- encoding ----

    /**
     * The message as one line of JSON, without the newline. Streams the snapshot records straight
     * into the output (no intermediate tree), since an update can hold thousands of tasks.
     */
    public static String encode(WireMessage message) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator out = MAPPER.createGenerator(text)) {
            out.writeStartObject();
            out.writeNumberField("v", WireMessage.VERSION);
            if (message instanceof WireMessage.Hello hello) {
                out.writeStringField("type", "hello");
                out.writeObjectField("target", hello.target());
            } else if (message instanceof WireMessage.Request request) {
                out.writeNumberField("id", request.id());
                out.writeStringField("op", request.op().wireName());
                if (request.query() != null) {
                    out.writeObjectField("query", encodeQuery(request.query()));
                }
                writeIfPresent(out, "older_than_ms", request.olderThanMs());
                writeIfPresent(out, "task", request.task());
                writeIfPresent(out, "interval_ms", request.intervalMs());
                writeIfPresent(out, "subscription", request.subscription());
            } else if (message instanceof WireMessage.Result result) {
                out.writeNumberField("id", result.id());
                out.writeStringField("type", "result");
                out.writeStringField("op", result.op().wireName());
                out.writeObjectField("result", result.result());
            } else if (message instanceof WireMessage.ErrorReply error) {
                if (error.id() != null) {
                    out.writeNumberField("id", error.id());
                }
                out.writeStringField("type", "error");
                out.writeObjectFieldStart("error");
                out.writeStringField("code", error.code().wireName());
                out.writeStringField("message", error.message());
                out.writeEndObject();
            } else if (message instanceof WireMessage.Update update) {
                out.writeStringField("type", "update");
                out.writeNumberField("subscription", update.subscription());
                out.writeNumberField("seq", update.seq());
                out.writeNumberField("dropped", update.dropped());
                out.writeObjectField("target", update.target());
                out.writeObjectField("report", update.report());
                out.writeObjectField("loops", update.loops());
            } else {
                throw new IllegalArgumentException("unknown message " + message);
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + message.getClass().getSimpleName(), e);
        }
        return text.toString();
    }

    /** The message as UTF-8 bytes, newline included: what goes on the socket. */
    public static byte[] encodeLine(WireMessage message) {
        return (encode(message) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A query as the object a request carries; the filter is left out when there is none. */
    public static ObjectNode encodeQuery(TaskQuery query) {
        ObjectNode q = MAPPER.createObjectNode();
        q.put("stuck_only", query.stuckOnly());
        q.put("older_than_ms", query.olderThanMs());
        if (query.filter() != null) {
            q.put("filter", query.filter());
        }
        ArrayNode kinds = q.putArray("kinds");
        query.kinds().forEach(kinds::add);
        q.put("sort", query.sort().wireName());
        q.put("descending", query.descending());
        q.put("limit", query.limit());
        if (query.adaptive()) {
            // Written only when on, so queries without it stay byte-identical to earlier v1 ones.
            q.put("adaptive", true);
        }
        return q;
    }

    /** Any value (a record of the snapshot model, a map) as a tree, snake case. */
    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    private static void writeIfPresent(JsonGenerator out, String field, Long value) throws IOException {
        if (value != null) {
            out.writeNumberField(field, value.longValue());
        }
    }

    // ---- decoding: requests (server side) ----

    /**
     * Reads and checks a client's request line.
     *
     * @throws WireException with the code to reply with; it carries the request id when the line
     *                       got far enough to have one
     */
    public static WireMessage.Request decodeRequest(String line) throws WireException {
        JsonNode root = parseObject(line, "a request");
        checkVersion(root);
        JsonNode idNode = root.get("id");
        if (idNode == null || idNode.isNull()) {
            throw new WireException(ErrorCode.BAD_REQUEST, "id is missing");
        }
        if (!idNode.isIntegralNumber() || !idNode.canConvertToLong()) {
            throw new WireException(ErrorCode.BAD_REQUEST, "id must be an integer, got " + idNode);
        }
        long id = idNode.longValue();
        try {
            return decodeRequestBody(id, root);
        } catch (WireException e) {
            throw e.withRequestId(id);
        }
    }

    private static WireMessage.Request decodeRequestBody(long id, JsonNode root) throws WireException {
        JsonNode opNode = root.get("op");
        if (opNode == null || opNode.isNull()) {
            throw new WireException(ErrorCode.BAD_REQUEST, "op is missing");
        }
        if (!opNode.isTextual()) {
            throw new WireException(ErrorCode.BAD_REQUEST, "op must be a string, got " + opNode);
        }
        Op op = Op.ofWireName(opNode.textValue());
        if (op == null) {
            throw new WireException(ErrorCode.UNKNOWN_OP, "no operation named '" + clip(opNode.textValue())
                    + "'; known: " + Arrays.stream(Op.values()).map(Op::wireName).collect(Collectors.joining(", ")));
        }
        return switch (op) {
            case HELLO, POINTS, GC -> WireMessage.Request.of(id, op);
            case QUERY -> new WireMessage.Request(id, op, queryField(root, false), null, null, null, null);
            case LOOPS -> new WireMessage.Request(id, op, null,
                    longField(root, "older_than_ms", TaskQuery.DEFAULT_OLDER_THAN_MS, 0, Long.MAX_VALUE / 1_000_000L),
                    null, null, null);
            case TASK -> new WireMessage.Request(id, op, null,
                    longField(root, "older_than_ms", TaskQuery.DEFAULT_OLDER_THAN_MS, 0, Long.MAX_VALUE / 1_000_000L),
                    requiredLong(root, "task", 1, Long.MAX_VALUE), null, null);
            case SUBSCRIBE -> new WireMessage.Request(id, op, queryField(root, false), null, null,
                    longField(root, "interval_ms", DEFAULT_INTERVAL_MS, MIN_INTERVAL_MS, MAX_INTERVAL_MS), null);
            case RESUBSCRIBE -> new WireMessage.Request(id, op, queryField(root, true), null, null, null,
                    requiredLong(root, "subscription", 1, Long.MAX_VALUE));
            case UNSUBSCRIBE -> new WireMessage.Request(id, op, null, null, null, null,
                    requiredLong(root, "subscription", 1, Long.MAX_VALUE));
        };
    }

    private static TaskQuery queryField(JsonNode root, boolean required) throws WireException {
        JsonNode q = root.get("query");
        if (q == null || q.isNull()) {
            if (required) {
                throw new WireException(ErrorCode.BAD_REQUEST, "query is missing");
            }
            return decodeQuery(MAPPER.createObjectNode());
        }
        return decodeQuery(q);
    }

    /**
     * Reads a {@link TaskQuery} object; absent fields take the defaults of docs/protocol.md
     * (not stuck-only, 5000 ms, no filter, all kinds, sort idle, ascending, limit 100, adaptive off).
     */
    public static TaskQuery decodeQuery(JsonNode q) throws WireException {
        if (!q.isObject()) {
            throw new WireException(ErrorCode.BAD_REQUEST, "query must be an object, got " + describe(q));
        }
        boolean stuckOnly = boolField(q, "stuck_only", false);
        long olderThanMs = longField(q, "older_than_ms", TaskQuery.DEFAULT_OLDER_THAN_MS, 0, Long.MAX_VALUE / 1_000_000L);
        String filter = null;
        JsonNode f = q.get("filter");
        if (f != null && !f.isNull()) {
            if (!f.isTextual()) {
                throw new WireException(ErrorCode.BAD_REQUEST, "filter must be a string, got " + describe(f));
            }
            filter = f.textValue();
            try {
                Pattern.compile(filter);
            } catch (PatternSyntaxException e) {
                throw new WireException(ErrorCode.BAD_REQUEST, "filter is not a valid regular expression: "
                        + clip(e.getDescription()) + " near index " + e.getIndex());
            }
        }
        List<String> kinds = new ArrayList<>();
        JsonNode k = q.get("kinds");
        if (k != null && !k.isNull()) {
            if (!k.isArray()) {
                throw new WireException(ErrorCode.BAD_REQUEST, "kinds must be a list, got " + describe(k));
            }
            for (JsonNode kind : k) {
                if (!kind.isTextual() || !KINDS.contains(kind.textValue())) {
                    throw new WireException(ErrorCode.BAD_REQUEST,
                            "kinds may hold " + String.join(", ", KINDS) + "; got " + clip(kind.toString()));
                }
                kinds.add(kind.textValue());
            }
        }
        TaskQuery.Sort sort = TaskQuery.Sort.IDLE;
        JsonNode s = q.get("sort");
        if (s != null && !s.isNull()) {
            sort = s.isTextual() ? sortOf(s.textValue()) : null;
            if (sort == null) {
                throw new WireException(ErrorCode.BAD_REQUEST, "sort must be one of "
                        + Arrays.stream(TaskQuery.Sort.values()).map(TaskQuery.Sort::wireName)
                        .collect(Collectors.joining(", ")) + "; got " + clip(s.toString()));
            }
        }
        boolean descending = boolField(q, "descending", false);
        long limit = longField(q, "limit", 100, 1, TaskQuery.MAX_LIMIT);
        boolean adaptive = boolField(q, "adaptive", false);
        return new TaskQuery(stuckOnly, olderThanMs, filter, kinds, sort, descending, (int) limit, adaptive);
    }

    private static TaskQuery.Sort sortOf(String name) {
        for (TaskQuery.Sort sort : TaskQuery.Sort.values()) {
            if (sort.wireName().equals(name)) {
                return sort;
            }
        }
        return null;
    }

    private static boolean boolField(JsonNode obj, String field, boolean dflt) throws WireException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new WireException(ErrorCode.BAD_REQUEST, field + " must be true or false, got " + describe(n));
        }
        return n.booleanValue();
    }

    private static long requiredLong(JsonNode obj, String field, long min, long max) throws WireException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            throw new WireException(ErrorCode.BAD_REQUEST, field + " is missing");
        }
        return longField(obj, field, 0, min, max);
    }

    private static long longField(JsonNode obj, String field, long dflt, long min, long max) throws WireException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new WireException(ErrorCode.BAD_REQUEST, field + " must be an integer, got " + describe(n));
        }
        long v = n.longValue();
        if (v < min || v > max) {
            String range = max == Long.MAX_VALUE || max == Long.MAX_VALUE / 1_000_000L
                    ? "must be >= " + min : "must be between " + min + " and " + max;
            throw new WireException(ErrorCode.BAD_REQUEST, field + " " + range + ", got " + v);
        }
        return v;
    }

    // ---- decoding: server messages (client side, fixtures) ----

    /**
     * Reads a line a server sent: a {@link WireMessage.Hello}, {@link WireMessage.Result},
     * {@link WireMessage.ErrorReply} or {@link WireMessage.Update}.
     *
     * @throws WireException {@code bad_request} if the line is no such message,
     *                       {@code unsupported_version} if it is of another version
     */
    public static WireMessage decodeServerMessage(String line) throws WireException {
        JsonNode root = parseObject(line, "a message");
        checkVersion(root);
        String type = text(root, "type");
        try {
            switch (type) {
                case "hello":
                    return new WireMessage.Hello(MAPPER.treeToValue(object(root, "target"), TargetInfo.class));
                case "result": {
                    String opName = text(root, "op");
                    Op op = Op.ofWireName(opName);
                    if (op == null) {
                        throw new WireException(ErrorCode.UNKNOWN_OP, "result of an unknown op '" + clip(opName) + "'");
                    }
                    return new WireMessage.Result(integer(root, "id"), op, object(root, "result"));
                }
                case "error": {
                    JsonNode body = object(root, "error");
                    String codeName = text(body, "code");
                    ErrorCode code = ErrorCode.ofWireName(codeName);
                    JsonNode id = root.get("id");
                    return new WireMessage.ErrorReply(
                            id == null || id.isNull() ? null : integer(root, "id"),
                            code == null ? ErrorCode.INTERNAL : code,
                            code == null ? codeName + ": " + text(body, "message") : text(body, "message"));
                }
                case "update": {
                    JsonNode loops = root.get("loops");
                    List<LoopSnapshot> loopList = new ArrayList<>();
                    if (loops != null && loops.isArray()) {
                        for (JsonNode l : loops) {
                            loopList.add(MAPPER.treeToValue(l, LoopSnapshot.class));
                        }
                    }
                    return new WireMessage.Update(integer(root, "subscription"), integer(root, "seq"),
                            integer(root, "dropped"),
                            MAPPER.treeToValue(object(root, "target"), TargetInfo.class),
                            MAPPER.treeToValue(object(root, "report"), TaskReport.class),
                            loopList);
                }
                default:
                    throw new WireException(ErrorCode.BAD_REQUEST, "unknown message type '" + clip(type) + "'");
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new WireException(ErrorCode.BAD_REQUEST, "malformed " + type + ": " + firstLine(e));
        }
    }

    /** A result's tree as {@code type} (a record of the snapshot model). */
    public static <T> T read(JsonNode tree, Class<T> type) throws WireException {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new WireException(ErrorCode.BAD_REQUEST, "malformed " + type.getSimpleName() + ": " + firstLine(e));
        }
    }

    // ---- helpers ----

    private static JsonNode parseObject(String line, String what) throws WireException {
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (JacksonException e) {
            throw new WireException(ErrorCode.BAD_REQUEST, "not JSON: " + firstLine(e));
        }
        if (root == null || root.isMissingNode()) {
            throw new WireException(ErrorCode.BAD_REQUEST, "empty line");
        }
        if (!root.isObject()) {
            throw new WireException(ErrorCode.BAD_REQUEST, what + " must be a JSON object, got " + describe(root));
        }
        return root;
    }

    private static void checkVersion(JsonNode root) throws WireException {
        JsonNode v = root.get("v");
        if (v == null || v.isNull()) {
            throw new WireException(ErrorCode.BAD_REQUEST, "v is missing (this side speaks version " + WireMessage.VERSION + ")");
        }
        if (!v.isIntegralNumber()) {
            throw new WireException(ErrorCode.BAD_REQUEST, "v must be an integer, got " + describe(v));
        }
        if (!v.canConvertToInt() || v.intValue() != WireMessage.VERSION) {
            throw new WireException(ErrorCode.UNSUPPORTED_VERSION,
                    "this side speaks protocol version " + WireMessage.VERSION + ", got " + clip(v.toString()));
        }
    }

    private static String text(JsonNode obj, String field) throws WireException {
        JsonNode n = obj.get(field);
        if (n == null || !n.isTextual()) {
            throw new WireException(ErrorCode.BAD_REQUEST, field + " must be a string");
        }
        return n.textValue();
    }

    private static long integer(JsonNode obj, String field) throws WireException {
        JsonNode n = obj.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new WireException(ErrorCode.BAD_REQUEST, field + " must be an integer");
        }
        return n.longValue();
    }

    private static JsonNode object(JsonNode obj, String field) throws WireException {
        JsonNode n = obj.get(field);
        if (n == null || !n.isObject()) {
            throw new WireException(ErrorCode.BAD_REQUEST, field + " must be an object");
        }
        return n;
    }

    private static String describe(JsonNode n) {
        String type = n.getNodeType().name().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "object", "array" -> "an " + type;
            default -> clip(n.toString());
        };
    }

    private static String firstLine(Exception e) {
        String m = e instanceof JacksonException je ? je.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return clip(nl < 0 ? m : m.substring(0, nl));
    }

    /** Keeps echoed input short: an error line must stay one readable line. */
    private static String clip(String s) {
        if (s == null) {
            return "null";
        }
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }
}
