package io.routerctl.probes.wire;

import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.wire.json.Json;
import io.routerctl.probes.wire.json.JsonException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Encodes {@link WireMessage}s as single JSON lines and decodes them (with probes' own JSON,
 * {@link Json}), checking every field a
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

    private static final String KINDS = Arrays.stream(TaskKind.values()).map(TaskKind::wireName)
            .collect(Collectors.joining(", "));

    private WireCodec() {
    }

    // ---- encoding ----

    /**
     * The message as one line of JSON, without the newline. Streams the snapshot records straight
     * into the output (no intermediate tree), since an update can hold thousands of tasks.
     */
    public static String encode(WireMessage message) {
        StringBuilder out = new StringBuilder(256);
        out.append("{\"v\":").append(WireMessage.VERSION);
        if (message instanceof WireMessage.Hello hello) {
            field(out, "type", "hello");
            field(out, "target", hello.target());
        } else if (message instanceof WireMessage.Request request) {
            field(out, "id", request.id());
            field(out, "op", request.op().wireName());
            if (request.query() != null) {
                field(out, "query", encodeQuery(request.query()));
            }
            fieldIfPresent(out, "older_than_ms", request.olderThanMs());
            fieldIfPresent(out, "task", request.task());
            fieldIfPresent(out, "interval_ms", request.intervalMs());
            fieldIfPresent(out, "subscription", request.subscription());
            fieldIfPresent(out, "deadline_ms", request.deadlineMs());
            if (request.adaptive() != null) {
                field(out, "adaptive", request.adaptive());
            }
        } else if (message instanceof WireMessage.Result result) {
            field(out, "id", result.id());
            field(out, "type", "result");
            field(out, "op", result.op().wireName());
            field(out, "result", result.result());
        } else if (message instanceof WireMessage.ErrorReply error) {
            if (error.id() != null) {
                field(out, "id", error.id());
            }
            field(out, "type", "error");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("code", error.code().wireName());
            body.put("message", error.message());
            field(out, "error", body);
        } else if (message instanceof WireMessage.Update update) {
            field(out, "type", "update");
            field(out, "subscription", update.subscription());
            field(out, "seq", update.seq());
            field(out, "dropped", update.dropped());
            field(out, "target", update.target());
            field(out, "report", update.report());
            field(out, "loops", update.loops());
        } else {
            throw new IllegalArgumentException("unknown message " + message);
        }
        return out.append('}').toString();
    }

    private static void field(StringBuilder out, String name, Object value) {
        out.append(',');
        Json.writeString(name, out);
        out.append(':');
        Json.write(value, out);
    }

    private static void fieldIfPresent(StringBuilder out, String name, Long value) {
        if (value != null) {
            field(out, name, value);
        }
    }

    /** The message as UTF-8 bytes, newline included: what goes on the socket. */
    public static byte[] encodeLine(WireMessage message) {
        return (encode(message) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A query as the object a request carries (a tree); the filter is left out when there is none. */
    public static Map<String, Object> encodeQuery(TaskQuery query) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("stuck_only", query.stuckOnly());
        q.put("older_than_ms", query.olderThanMs());
        if (query.filter() != null) {
            q.put("filter", query.filter());
        }
        q.put("kinds", query.kinds().stream().map(TaskKind::wireName).collect(Collectors.toList()));
        q.put("sort", query.sort().wireName());
        q.put("descending", query.descending());
        q.put("limit", (long) query.limit());
        if (query.adaptive()) {
            // Written only when on, so queries without it stay byte-identical to earlier v1 ones.
            q.put("adaptive", true);
        }
        return q;
    }

    /** Any value (a record of the snapshot model, a map) as a tree, snake case. */
    public static Object toTree(Object value) {
        return Json.toTree(value);
    }

    // ---- decoding: requests (server side) ----

    /**
     * Reads and checks a client's request line.
     *
     * @throws WireException with the code to reply with; it carries the request id when the line
     *                       got far enough to have one
     */
    public static WireMessage.Request decodeRequest(String line) throws WireException {
        Map<String, Object> root = parseObject(line, "a request");
        checkVersion(root);
        Object idNode = root.get("id");
        if (idNode == null) {
            throw new WireException(ErrorCode.BAD_REQUEST, "id is missing");
        }
        if (!(idNode instanceof Long id)) {
            throw new WireException(ErrorCode.BAD_REQUEST, "id must be an integer, got " + describe(idNode));
        }
        try {
            return decodeRequestBody(id, root);
        } catch (WireException e) {
            throw e.withRequestId(id);
        }
    }

    private static WireMessage.Request decodeRequestBody(long id, Map<String, Object> root) throws WireException {
        Object opNode = root.get("op");
        if (opNode == null) {
            throw new WireException(ErrorCode.BAD_REQUEST, "op is missing");
        }
        if (!(opNode instanceof String opName)) {
            throw new WireException(ErrorCode.BAD_REQUEST, "op must be a string, got " + describe(opNode));
        }
        Op op = Op.ofWireName(opName);
        if (op == null) {
            throw new WireException(ErrorCode.UNKNOWN_OP, "no operation named '" + clip(opName)
                    + "'; known: " + Arrays.stream(Op.values()).map(Op::wireName).collect(Collectors.joining(", ")));
        }
        return switch (op) {
            case HELLO, POINTS, GC -> WireMessage.Request.of(id, op);
            case QUERY -> new WireMessage.Request(id, op, queryField(root, false), null, null, null, null);
            case LOOPS -> new WireMessage.Request(id, op, null,
                    longField(root, "older_than_ms", TaskQuery.DEFAULT_OLDER_THAN_MS, 0, Long.MAX_VALUE / 1_000_000L),
                    null, null, null, null, adaptiveField(root));
            case TASK -> new WireMessage.Request(id, op, null,
                    longField(root, "older_than_ms", TaskQuery.DEFAULT_OLDER_THAN_MS, 0, Long.MAX_VALUE / 1_000_000L),
                    requiredLong(root, "task", 1, Long.MAX_VALUE), null, null, null, adaptiveField(root));
            case SUBSCRIBE -> new WireMessage.Request(id, op, queryField(root, false), null, null,
                    longField(root, "interval_ms", DEFAULT_INTERVAL_MS, MIN_INTERVAL_MS, MAX_INTERVAL_MS), null);
            case RESUBSCRIBE -> new WireMessage.Request(id, op, queryField(root, true), null, null, null,
                    requiredLong(root, "subscription", 1, Long.MAX_VALUE));
            case UNSUBSCRIBE -> new WireMessage.Request(id, op, null, null, null, null,
                    requiredLong(root, "subscription", 1, Long.MAX_VALUE));
            case DETACH -> new WireMessage.Request(id, op, null, null, null, null, null,
                    root.get("deadline_ms") == null ? null : requiredLong(root, "deadline_ms", 1, Long.MAX_VALUE), null);
        };
    }

    private static TaskQuery queryField(Map<String, Object> root, boolean required) throws WireException {
        Object q = root.get("query");
        if (q == null) {
            if (required) {
                throw new WireException(ErrorCode.BAD_REQUEST, "query is missing");
            }
            return decodeQuery(Map.of());
        }
        return decodeQuery(q);
    }

    /**
     * Reads a {@link TaskQuery} object (a tree); absent fields take the defaults of
     * docs/protocol.md (not stuck-only, 5000 ms, no filter, all kinds, sort idle, ascending, limit
     * 100, adaptive off).
     */
    public static TaskQuery decodeQuery(Object tree) throws WireException {
        if (!(tree instanceof Map<?, ?> map)) {
            throw new WireException(ErrorCode.BAD_REQUEST, "query must be an object, got " + describe(tree));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> q = (Map<String, Object>) map;
        boolean stuckOnly = boolField(q, "stuck_only", false);
        long olderThanMs = longField(q, "older_than_ms", TaskQuery.DEFAULT_OLDER_THAN_MS, 0, Long.MAX_VALUE / 1_000_000L);
        String filter = null;
        Object f = q.get("filter");
        if (f != null) {
            if (!(f instanceof String text)) {
                throw new WireException(ErrorCode.BAD_REQUEST, "filter must be a string, got " + describe(f));
            }
            filter = text;
            if (filter.length() > TaskQuery.MAX_FILTER_CHARS) {
                throw new WireException(ErrorCode.BAD_REQUEST, "filter is " + filter.length()
                        + " characters long; at most " + TaskQuery.MAX_FILTER_CHARS);
            }
            try {
                Pattern.compile(filter);
            } catch (PatternSyntaxException e) {
                throw new WireException(ErrorCode.BAD_REQUEST, "filter is not a valid regular expression: "
                        + clip(e.getDescription()) + " near index " + e.getIndex());
            }
        }
        List<TaskKind> kinds = new ArrayList<>();
        Object k = q.get("kinds");
        if (k != null) {
            if (!(k instanceof List<?> list)) {
                throw new WireException(ErrorCode.BAD_REQUEST, "kinds must be a list, got " + describe(k));
            }
            for (Object kind : list) {
                TaskKind known = kind instanceof String name ? TaskKind.ofWireName(name) : null;
                if (known == null) {
                    throw new WireException(ErrorCode.BAD_REQUEST, "kinds may hold " + KINDS + "; got " + describe(kind));
                }
                kinds.add(known);
            }
        }
        TaskQuery.Sort sort = TaskQuery.Sort.IDLE;
        Object s = q.get("sort");
        if (s != null) {
            sort = s instanceof String name ? sortOf(name) : null;
            if (sort == null) {
                throw new WireException(ErrorCode.BAD_REQUEST, "sort must be one of "
                        + Arrays.stream(TaskQuery.Sort.values()).map(TaskQuery.Sort::wireName)
                        .collect(Collectors.joining(", ")) + "; got " + describe(s));
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

    /** The {@code adaptive} field of a {@code loops} or {@code task} request: null when absent. */
    private static Boolean adaptiveField(Map<String, Object> root) throws WireException {
        return root.get("adaptive") == null ? null : boolField(root, "adaptive", true);
    }

    private static boolean boolField(Map<String, Object> obj, String field, boolean dflt) throws WireException {
        Object n = obj.get(field);
        if (n == null) {
            return dflt;
        }
        if (!(n instanceof Boolean b)) {
            throw new WireException(ErrorCode.BAD_REQUEST, field + " must be true or false, got " + describe(n));
        }
        return b;
    }

    private static long requiredLong(Map<String, Object> obj, String field, long min, long max) throws WireException {
        if (obj.get(field) == null) {
            throw new WireException(ErrorCode.BAD_REQUEST, field + " is missing");
        }
        return longField(obj, field, 0, min, max);
    }

    private static long longField(Map<String, Object> obj, String field, long dflt, long min, long max)
            throws WireException {
        Object n = obj.get(field);
        if (n == null) {
            return dflt;
        }
        if (!(n instanceof Long value)) {
            throw new WireException(ErrorCode.BAD_REQUEST, field + " must be an integer, got " + describe(n));
        }
        long v = value;
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
        Map<String, Object> root = parseObject(line, "a message");
        checkVersion(root);
        String type = text(root, "type");
        switch (type) {
            case "hello":
                return new WireMessage.Hello(read(object(root, "target"), TargetInfo.class));
            case "result": {
                String opName = text(root, "op");
                Op op = Op.ofWireName(opName);
                if (op == null) {
                    throw new WireException(ErrorCode.UNKNOWN_OP, "result of an unknown op '" + clip(opName) + "'");
                }
                return new WireMessage.Result(integer(root, "id"), op, object(root, "result"));
            }
            case "error": {
                Map<String, Object> body = object(root, "error");
                String codeName = text(body, "code");
                ErrorCode code = ErrorCode.ofWireName(codeName);
                Object id = root.get("id");
                return new WireMessage.ErrorReply(
                        id == null ? null : integer(root, "id"),
                        code == null ? ErrorCode.INTERNAL : code,
                        code == null ? codeName + ": " + text(body, "message") : text(body, "message"));
            }
            case "update": {
                Object loops = root.get("loops");
                List<LoopSnapshot> loopList = loops instanceof List<?> ? readList(loops, LoopSnapshot.class) : List.of();
                return new WireMessage.Update(integer(root, "subscription"), integer(root, "seq"),
                        integer(root, "dropped"),
                        read(object(root, "target"), TargetInfo.class),
                        read(object(root, "report"), TaskReport.class),
                        loopList);
            }
            default:
                throw new WireException(ErrorCode.BAD_REQUEST, "unknown message type '" + clip(type) + "'");
        }
    }

    /** A result's tree as {@code type} (a record of the snapshot model). */
    public static <T> T read(Object tree, Class<T> type) throws WireException {
        try {
            return Json.read(tree, type);
        } catch (JsonException e) {
            throw new WireException(ErrorCode.BAD_REQUEST, "malformed " + type.getSimpleName() + ": " + clip(e.getMessage()));
        }
    }

    /** A result's tree as a list of {@code type}. */
    public static <T> List<T> readList(Object tree, Class<T> type) throws WireException {
        try {
            return Json.readList(tree, type);
        } catch (JsonException e) {
            throw new WireException(ErrorCode.BAD_REQUEST, "malformed " + type.getSimpleName() + " list: "
                    + clip(e.getMessage()));
        }
    }

    // ---- helpers ----

    private static Map<String, Object> parseObject(String line, String what) throws WireException {
        Object root;
        try {
            root = Json.parse(line);
        } catch (JsonException e) {
            throw new WireException(ErrorCode.BAD_REQUEST, "not JSON: " + clip(e.getMessage()));
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new WireException(ErrorCode.BAD_REQUEST, what + " must be a JSON object, got " + describe(root));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        return object;
    }

    private static void checkVersion(Map<String, Object> root) throws WireException {
        Object v = root.get("v");
        if (v == null) {
            throw new WireException(ErrorCode.BAD_REQUEST, "v is missing (this side speaks version " + WireMessage.VERSION + ")");
        }
        if (!(v instanceof Long) && !(v instanceof java.math.BigInteger)) {
            throw new WireException(ErrorCode.BAD_REQUEST, "v must be an integer, got " + describe(v));
        }
        if (!(v instanceof Long version) || version != WireMessage.VERSION) {
            throw new WireException(ErrorCode.UNSUPPORTED_VERSION,
                    "this side speaks protocol version " + WireMessage.VERSION + ", got " + describe(v));
        }
    }

    private static String text(Map<String, Object> obj, String field) throws WireException {
        if (!(obj.get(field) instanceof String s)) {
            throw new WireException(ErrorCode.BAD_REQUEST, field + " must be a string");
        }
        return s;
    }

    private static long integer(Map<String, Object> obj, String field) throws WireException {
        if (!(obj.get(field) instanceof Long n)) {
            throw new WireException(ErrorCode.BAD_REQUEST, field + " must be an integer");
        }
        return n;
    }

    private static Map<String, Object> object(Map<String, Object> obj, String field) throws WireException {
        if (!(obj.get(field) instanceof Map<?, ?> map)) {
            throw new WireException(ErrorCode.BAD_REQUEST, field + " must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        return object;
    }

    private static String describe(Object tree) {
        return clip(Json.describe(tree));
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
