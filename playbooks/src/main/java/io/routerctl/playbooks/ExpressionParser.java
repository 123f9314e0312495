package io.routerctl.playbooks;

import io.routerctl.probes.Durations;
import io.routerctl.playbooks.query.Comparison;
import io.routerctl.playbooks.query.ExpectedValue;
import io.routerctl.playbooks.query.Expectation;
import io.routerctl.playbooks.query.FieldType;
import io.routerctl.playbooks.query.ItemKind;
import io.routerctl.playbooks.query.Query;
import io.routerctl.playbooks.query.Root;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses and type-checks {@code <query> <comparison> <value>} from the words of a line, character
 * by character across words, so that {@code stuck.count==0} and {@code stuck.count == 0} read the
 * same and every error points at its exact column. Word boundaries count as blanks: they may stand
 * between the query, the comparison and the value, and around the punctuation of {@code where(...)}.
 *
 * <h2>Thread safety</h2>
 * One instance per expression, on one thread.
 */
final class ExpressionParser {

    private static final Pattern NUMBER = Pattern.compile("-?\\d{1,15}(\\.\\d{1,9})?");
    private static final String COLLECTION_OPS = "count, where(...), first, oldest_ms, max(field), min(field), sum(field)";

    private final String file;
    private final int line;
    private final List<Token> tokens;
    private final int endColumn;
    private int t;
    private int c;

    /**
     * @param tokens    the words to read, from the first word of the expression
     * @param endColumn the column to report when more was expected at the end of the line
     */
    ExpressionParser(String file, int line, List<Token> tokens, int endColumn) {
        this.file = file;
        this.line = line;
        this.tokens = tokens;
        this.endColumn = endColumn;
    }

    /** The words after the expression (for a {@code wait-until}'s options). */
    List<Token> rest() {
        skipBoundary();
        return tokens.subList(t, tokens.size());
    }

    Expectation expectation() throws PlaybookParseException {
        Query query = query();
        skipBoundary();
        int opColumn = column();
        Comparison cmp = comparison(query.text());
        skipBoundary();
        if (atEnd()) {
            throw error(column(), "expected a value after '" + query.text() + " " + cmp.symbol() + "'");
        }
        int valueColumn = c == 0 ? tokens.get(t).column() : column();
        Token valueToken = tokens.get(t);
        String written = valueToken.text().substring(c);
        boolean quotedWord = valueToken.quoted() && c == 0;
        c = valueToken.text().length();
        if (query.type() == FieldType.TEXT && cmp.isOrdering()) {
            throw error(opColumn, "'" + query.text() + "' is text; compare it with == or != only, not "
                    + cmp.symbol());
        }
        ExpectedValue value = value(query, written, quotedWord, valueColumn);
        return new Expectation(query, cmp, value);
    }

    private ExpectedValue value(Query query, String written, boolean quotedWord, int column)
            throws PlaybookParseException {
        if (query.type() == FieldType.TEXT) {
            return new ExpectedValue(written, Double.NaN, written, false);
        }
        if (!quotedWord && NUMBER.matcher(written).matches()) {
            return new ExpectedValue(written, Double.parseDouble(written), null, false);
        }
        Duration d = quotedWord ? null : durationOrNull(written);
        if (d != null) {
            if (query.type() != FieldType.MILLIS) {
                throw error(column, "'" + query.text() + "' is a count, not a time; compare it with a number, not '"
                        + written + "'");
            }
            return new ExpectedValue(written, d.toMillis(), null, true);
        }
        throw error(column, "expected a number" + (query.type() == FieldType.MILLIS ? " or a duration (5s, 500ms)" : "")
                + " to compare '" + query.text() + "' with, got '" + written + "'");
    }

    private Comparison comparison(String after) throws PlaybookParseException {
        int col = column();
        char a = peek();
        char b = t < tokens.size() && c + 1 < tokens.get(t).text().length() ? tokens.get(t).text().charAt(c + 1) : 0;
        Comparison cmp = null;
        int len = 2;
        if (a == '=' && b == '=') {
            cmp = Comparison.EQ;
        } else if (a == '!' && b == '=') {
            cmp = Comparison.NE;
        } else if (a == '<' && b == '=') {
            cmp = Comparison.LE;
        } else if (a == '>' && b == '=') {
            cmp = Comparison.GE;
        } else if (a == '<') {
            cmp = Comparison.LT;
            len = 1;
        } else if (a == '>') {
            cmp = Comparison.GT;
            len = 1;
        }
        if (cmp == null) {
            String hint = a == '=' ? "; '=' alone is not one, write '=='" : "";
            throw error(col, "expected a comparison (" + Comparison.ALL + ") after '" + after + "'" + hint);
        }
        c += len;
        return cmp;
    }

    Query query() throws PlaybookParseException {
        skipBoundary();
        int start = column();
        String word = ident();
        if (word.isEmpty()) {
            throw error(start, "expected a query such as stuck.count or in_flight");
        }
        Root root = Root.of(word);
        if (root == null) {
            throw error(start, "unknown field '" + word + "'; expected one of " + Root.allWords());
        }
        StringBuilder text = new StringBuilder(word);
        List<Query.Op> ops = new ArrayList<>();
        FieldType value = root.scalarType();
        ItemKind collection = root.items();
        ItemKind item = null;
        while (peek() == '.') {
            int dot = column();
            c++;
            int col = column();
            String name = ident();
            if (name.isEmpty()) {
                throw error(col, "expected a field name after '" + text + ".'");
            }
            if (value != null) {
                throw error(dot, "'" + text + "' is a value; nothing can follow it");
            }
            if (item != null) {
                FieldType f = item.fields().get(name);
                if (f == null) {
                    throw error(col, "unknown field '" + name + "' of a " + item.label() + "; expected one of "
                            + String.join(", ", item.fields().keySet()));
                }
                ops.add(new Query.Field(name));
                text.append('.').append(name);
                value = f;
                continue;
            }
            switch (name) {
                case "count" -> {
                    ops.add(new Query.Count());
                    value = FieldType.NUMBER;
                    text.append(".count");
                }
                case "first" -> {
                    ops.add(new Query.First());
                    item = collection;
                    text.append(".first");
                }
                case "oldest_ms" -> {
                    if (collection == ItemKind.LOOP) {
                        throw error(col, "loops have no oldest_ms; try loops.max(stuck)");
                    }
                    ops.add(new Query.Oldest());
                    value = FieldType.MILLIS;
                    text.append(".oldest_ms");
                }
                case "where" -> {
                    List<Query.Condition> conditions = conditions(collection, text.toString());
                    ops.add(new Query.Where(conditions));
                    text.append(".where(");
                    for (int i = 0; i < conditions.size(); i++) {
                        Query.Condition k = conditions.get(i);
                        text.append(i == 0 ? "" : ",").append(k.field()).append(k.negated() ? "!=" : "=").append(k.value());
                    }
                    text.append(')');
                }
                case "max", "min", "sum" -> {
                    String field = aggregateField(collection, name, text.toString());
                    FieldType f = collection.fields().get(field);
                    ops.add(new Query.Aggregate(name, field));
                    value = f;
                    text.append('.').append(name).append('(').append(field).append(')');
                }
                default -> throw error(col, "unknown operation '" + name + "' on '" + text + "' (a list of "
                        + collection.label() + "s); expected one of " + COLLECTION_OPS);
            }
        }
        if (value == null) {
            if (item != null) {
                throw error(column(), "expected a field after '" + text + "', e.g. '." + firstKey(item) + "'");
            }
            throw error(column(), "expected an operation after '" + text + "' (a list of " + collection.label()
                    + "s is not a value), e.g. '.count'");
        }
        return new Query(text.toString(), root, ops, value);
    }

    private static String firstKey(ItemKind item) {
        return item == ItemKind.GROUP ? "text" : item.fields().keySet().iterator().next();
    }

    private String aggregateField(ItemKind collection, String function, String after) throws PlaybookParseException {
        expectChar('(', "expected '(' after '" + after + "." + function + "'");
        skipBoundary();
        int col = column();
        String field = ident();
        FieldType f = collection.fields().get(field);
        if (field.isEmpty() || f == null || f == FieldType.TEXT) {
            throw error(col, "expected a number field of a " + collection.label() + " inside " + function
                    + "(...); one of " + numericFields(collection) + (field.isEmpty() ? "" : ", got '" + field + "'"));
        }
        skipBoundary();
        expectChar(')', "expected ')' to close '" + function + "('");
        return field;
    }

    private static String numericFields(ItemKind k) {
        List<String> out = new ArrayList<>();
        k.fields().forEach((n, f) -> {
            if (f != FieldType.TEXT) {
                out.add(n);
            }
        });
        return String.join(", ", out);
    }

    private List<Query.Condition> conditions(ItemKind collection, String after) throws PlaybookParseException {
        expectChar('(', "expected '(' after '" + after + ".where'");
        List<Query.Condition> out = new ArrayList<>();
        while (true) {
            skipBoundary();
            int col = column();
            String field = ident();
            if (field.isEmpty()) {
                throw error(col, "expected a field name inside where(...), e.g. waiting_on=auth");
            }
            if (!collection.fields().containsKey(field)) {
                throw error(col, "unknown field '" + field + "' of a " + collection.label() + " in where(...); expected one of "
                        + String.join(", ", collection.fields().keySet()));
            }
            skipBoundary();
            boolean negated;
            if (peek() == '!' && peekAt(1) == '=') {
                negated = true;
                c += 2;
            } else if (peek() == '=') {
                negated = false;
                c += peekAt(1) == '=' ? 2 : 1;
            } else {
                throw error(column(), "expected '=' or '!=' after '" + field + "' in where(...)");
            }
            skipBoundary();
            int vcol = column();
            StringBuilder v = new StringBuilder();
            while (!atEnd() && peek() != 0 && peek() != ',' && peek() != ')') {
                v.append(peek());
                c++;
            }
            if (v.length() == 0) {
                throw error(vcol, "expected a value after '" + field + (negated ? "!=" : "=") + "' in where(...)");
            }
            out.add(new Query.Condition(field, negated, v.toString()));
            skipBoundary();
            if (peek() == ',') {
                c++;
                continue;
            }
            expectChar(')', "expected ',' or ')' after '" + field + (negated ? "!=" : "=") + v + "' in where(...)");
            return out;
        }
    }

    private void expectChar(char ch, String message) throws PlaybookParseException {
        if (peek() != ch) {
            throw error(column(), message);
        }
        c++;
    }

    private String ident() {
        StringBuilder b = new StringBuilder();
        while (true) {
            char ch = peek();
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || (b.length() > 0 && ch >= '0' && ch <= '9')) {
                b.append(ch);
                c++;
            } else {
                return b.toString();
            }
        }
    }

    /** The current character of the current word, or 0 at a word's end (a blank) or the line's end. */
    private char peek() {
        return peekAt(0);
    }

    private char peekAt(int ahead) {
        if (t >= tokens.size()) {
            return 0;
        }
        String s = tokens.get(t).text();
        return c + ahead < s.length() ? s.charAt(c + ahead) : 0;
    }

    private void skipBoundary() {
        while (t < tokens.size() && c >= tokens.get(t).text().length()) {
            t++;
            c = 0;
        }
    }

    private boolean atEnd() {
        return t >= tokens.size();
    }

    private int column() {
        if (t < tokens.size() && c < tokens.get(t).text().length()) {
            return tokens.get(t).columnAt(c);
        }
        if (t < tokens.size()) {
            return tokens.get(t).end();
        }
        return endColumn;
    }

    private PlaybookParseException error(int column, String problem) {
        return new PlaybookParseException(file, line, column, problem);
    }

    /** {@code text} as a duration, or null if it is not one (it is then some other kind of value). */
    private static Duration durationOrNull(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
