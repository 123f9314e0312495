package io.routerctl.playbooks.query;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed, type-checked query such as {@code stuck.where(waiting_on=auth).count}: a {@link Root}
 * followed by operations, each checked against the schema when the playbook was parsed.
 *
 * <h2>Exact counts</h2>
 * dump-stuck lists at most {@code --limit} tasks but counts and groups all of them. So
 * {@code stuck.count}, {@code stuck.oldest_ms}, and both of those after {@code where} on the group
 * keys only ({@code kind}, {@code last_step}, {@code waiting_on}), are computed from
 * {@code summary.stuck} and {@code summary.groups}: exact however many are stuck. Anything else is
 * computed over the listed tasks, and the result carries a note when the list was cut short.
 *
 * <h2>Thread safety</h2>
 * Immutable.
 */
public final class Query {

    /** One step after the root. */
    public sealed interface Op permits Where, Count, First, Oldest, Aggregate, Field {
    }

    /** {@code where(k=v, k!=v)}: the items matching every condition. */
    public record Where(List<Condition> conditions) implements Op {
        public Where {
            conditions = List.copyOf(conditions);
        }
    }

    /** {@code count}: how many items. */
    public record Count() implements Op {
    }

    /** {@code first}: the first item (the largest group, the longest-stuck task), or none. */
    public record First() implements Op {
    }

    /** {@code oldest_ms}: the longest time without progress among the items. */
    public record Oldest() implements Op {
    }

    /** {@code max(f)}, {@code min(f)}, {@code sum(f)} over a numeric field. */
    public record Aggregate(String function, String field) implements Op {
    }

    /** {@code .field} of one item. */
    public record Field(String name) implements Op {
    }

    /**
     * One condition of a {@code where}: a field equal (or not) to a value. {@code none} matches a
     * missing value; for {@code warnings}, equality means "the list contains".
     */
    public record Condition(String field, boolean negated, String value) {
    }

    /**
     * What a query yields on one document.
     *
     * @param value {@link Double}, {@link String}, or {@code null} for none (no such item)
     * @param note  a caveat for the report (e.g. counted over a truncated list), or {@code null}
     */
    public record Result(Object value, String note) {
    }

    private static final Set<String> GROUP_KEYS = Set.of("kind", "last_step", "waiting_on");

    private final String text;
    private final Root root;
    private final List<Op> ops;
    private final FieldType type;

    /** Built by the parser, which has checked {@code ops} against the schema and computed {@code type}. */
    public Query(String text, Root root, List<Op> ops, FieldType type) {
        this.text = Objects.requireNonNull(text);
        this.root = Objects.requireNonNull(root);
        this.ops = List.copyOf(ops);
        this.type = Objects.requireNonNull(type);
    }

    /** The query as written (after substitution), e.g. {@code stuck.count}. */
    public String text() {
        return text;
    }

    /** Where it starts. */
    public Root root() {
        return root;
    }

    /** What it does after the root. */
    public List<Op> ops() {
        return ops;
    }

    /** What it yields. */
    public FieldType type() {
        return type;
    }

    /** The document it reads. */
    public DocumentKind document() {
        return root.document();
    }

    /** Evaluates the query on {@code doc}, the JSON its document's command printed. */
    public Result evaluate(JsonNode doc) throws QueryException {
        if (root.scalarType() != null) {
            return new Result(number(at(doc, root.path()), root.path()), null);
        }
        Result exact = exactFromSummary(doc);
        if (exact != null) {
            return exact;
        }
        JsonNode array = collection(doc);
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        String note = truncationNote(doc, items.size());
        JsonNode item = null;
        boolean single = false;
        for (Op op : ops) {
            if (op instanceof Where w) {
                items.removeIf(i -> !matchesAll(i, w.conditions()));
            } else if (op instanceof Count) {
                return new Result((double) items.size(), note);
            } else if (op instanceof Oldest) {
                String field = root.items() == ItemKind.GROUP ? "oldest_ms" : "idle_ms";
                return new Result(aggregate("max", field, items), note);
            } else if (op instanceof Aggregate a) {
                return new Result(aggregate(a.function(), a.field(), items), note);
            } else if (op instanceof First) {
                single = true;
                item = items.isEmpty() ? null : items.get(0);
            } else if (op instanceof Field f) {
                if (!single || item == null) {
                    return new Result(null, note);
                }
                JsonNode v = item.get(f.name());
                return new Result(scalar(v), note);
            }
        }
        throw new IllegalStateException("query '" + text + "' does not end in a value");
    }

    /** stuck[.where(group keys only)](.count | .oldest_ms), answered from summary: exact. */
    private Result exactFromSummary(JsonNode doc) throws QueryException {
        if (root != Root.STUCK) {
            return null;
        }
        List<Condition> conditions = new ArrayList<>();
        Op last = ops.get(ops.size() - 1);
        for (Op op : ops.subList(0, ops.size() - 1)) {
            if (!(op instanceof Where w) || !w.conditions().stream().allMatch(c -> GROUP_KEYS.contains(c.field()))) {
                return null;
            }
            conditions.addAll(w.conditions());
        }
        if (last instanceof Count && conditions.isEmpty()) {
            return new Result(number(at(doc, "summary.stuck"), "summary.stuck"), null);
        }
        if (!(last instanceof Count) && !(last instanceof Oldest)) {
            return null;
        }
        JsonNode groups = at(doc, "summary.groups");
        if (!groups.isArray()) {
            throw new QueryException("dump-stuck output: 'summary.groups' is not a list");
        }
        double count = 0;
        Double oldest = null;
        for (JsonNode g : groups) {
            if (matchesAll(g, conditions)) {
                count += g.path("count").asDouble();
                double o = g.path("oldest_ms").asDouble();
                oldest = oldest == null ? o : Math.max(oldest, o);
            }
        }
        return new Result(last instanceof Count ? (Object) count : oldest, null);
    }

    private String truncationNote(JsonNode doc, int listed) {
        if (root != Root.STUCK) {
            return null;
        }
        JsonNode total = doc.path("summary").path("stuck");
        if (total.isNumber() && total.asLong() > listed) {
            return "computed over the " + listed + " tasks listed of " + total.asLong()
                    + " stuck; raise dump-stuck's --limit for all of them";
        }
        return null;
    }

    private JsonNode collection(JsonNode doc) throws QueryException {
        if (root == Root.LOOPS && doc.isArray()) {
            return doc;
        }
        JsonNode array = at(doc, root.path());
        if (!array.isArray()) {
            throw new QueryException(root.document().command() + " output: '" + root.path() + "' is not a list");
        }
        return array;
    }

    private JsonNode at(JsonNode doc, String path) throws QueryException {
        JsonNode n = doc;
        for (String part : path.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        if (n == null || n.isMissingNode()) {
            throw new QueryException(root.document().command() + " output has no '" + path + "'");
        }
        return n;
    }

    private Double number(JsonNode n, String path) throws QueryException {
        if (!n.isNumber()) {
            throw new QueryException(root.document().command() + " output: '" + path + "' is not a number");
        }
        return n.asDouble();
    }

    private static Double aggregate(String function, String field, List<JsonNode> items) {
        Double acc = null;
        for (JsonNode i : items) {
            JsonNode v = i.get(field);
            if (v == null || !v.isNumber()) {
                continue;
            }
            double d = v.asDouble();
            acc = acc == null ? d : switch (function) {
                case "max" -> Math.max(acc, d);
                case "min" -> Math.min(acc, d);
                default -> acc + d;
            };
        }
        if (acc == null && function.equals("sum")) {
            return 0.0;
        }
        return acc;
    }

    private static Object scalar(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(e -> parts.add(e.asText()));
            return String.join(",", parts);
        }
        return v.asText();
    }

    static boolean matchesAll(JsonNode item, List<Condition> conditions) {
        for (Condition c : conditions) {
            if (matches(item.get(c.field()), c.value()) == c.negated()) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(JsonNode v, String expected) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return expected.equals("none");
        }
        if (v.isArray()) {
            for (JsonNode e : v) {
                if (e.asText().equals(expected)) {
                    return true;
                }
            }
            return false;
        }
        if (v.isNumber()) {
            try {
                return Double.parseDouble(expected) == v.asDouble();
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return v.asText().equals(expected);
    }

    @Override
    public String toString() {
        return text;
    }
}
