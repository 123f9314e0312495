package io.routerctl.playbooks.query;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code <query> <comparison> <value>}, e.g. {@code stuck.where(waiting_on=auth).count < 5}: the
 * condition of an {@code expect} or a {@code wait-until}.
 *
 * <h2>Missing values</h2>
 * A query can yield none (e.g. {@code groups.first.text} with no groups, {@code stuck.oldest_ms}
 * with nothing stuck). None equals only the text {@code none}; it is unequal to everything else and
 * never ordered, so {@code stuck.oldest_ms < 5s} fails when nothing is stuck. Write
 * {@code stuck.count == 0} for "nothing stuck".
 *
 * <h2>Thread safety</h2>
 * Immutable.
 *
 * @param query      what is read
 * @param comparison how it is compared
 * @param expected   with what
 */
public record Expectation(Query query, Comparison comparison, ExpectedValue expected) {

    /**
     * The outcome on one document.
     *
     * @param held   whether the expectation held
     * @param actual the value seen, as shown in reports (e.g. {@code 12}, {@code 9800 ms}, {@code none})
     * @param note   a caveat from the query, or {@code null}
     */
    public record Outcome(boolean held, String actual, String note) {
    }

    /** Evaluates the expectation on the JSON its query's command printed. */
    public Outcome check(JsonNode doc) throws QueryException {
        Query.Result r = query.evaluate(doc);
        Object v = r.value();
        boolean held;
        if (v == null) {
            held = switch (comparison) {
                case EQ -> !expected.isNumeric() && expected.text().equals("none");
                case NE -> expected.isNumeric() || !expected.text().equals("none");
                default -> false;
            };
        } else if (v instanceof Double d) {
            held = expected.isNumeric() && comparison.holds(Double.compare(d, expected.number()));
        } else {
            String s = (String) v;
            held = !expected.isNumeric() && comparison.holds(s.equals(expected.text()) ? 0 : 1);
        }
        return new Outcome(held, display(v), r.note());
    }

    private String display(Object v) {
        if (v == null) {
            return "none";
        }
        if (v instanceof Double d) {
            String n = d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString();
            return query.type() == FieldType.MILLIS ? n + " ms" : n;
        }
        return (String) v;
    }

    @Override
    public String toString() {
        return query.text() + " " + comparison.symbol() + " " + expected.written();
    }
}
