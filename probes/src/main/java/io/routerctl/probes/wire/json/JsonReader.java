package io.routerctl.probes.wire.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one JSON text (RFC 8259) into the tree described in the package doc, within explicit
 * limits, so that no input can make it recurse, allocate or compute without bound.
 *
 * <h2>Limits</h2>
 * Nesting deeper than {@link Limits#maxDepth()} and number literals longer than
 * {@link Limits#maxNumberLength()} characters are refused (a thousand-digit integer would cost a
 * quadratic {@code BigInteger} parse); the text itself is bounded by whoever read it (the attach
 * server reads at most 1 MiB per line). Anything after the value but white space is an error.
 *
 * <h2>Thread safety</h2>
 * An instance parses one text once, on one thread; use {@link Json#parse} instead.
 */
public final class JsonReader {

    /**
     * How far a text may go.
     *
     * @param maxDepth        the most arrays and objects open at once
     * @param maxNumberLength the longest number literal, in characters
     */
    public record Limits(int maxDepth, int maxNumberLength) {
        /** What the attach protocol needs and a little more: depth 64, numbers of 64 characters. */
        public static final Limits PROTOCOL = new Limits(64, 64);
        /** For files routerctl wrote itself (snapshots): depth 256, numbers of 400 characters. */
        public static final Limits FILES = new Limits(256, 400);

        public Limits {
            if (maxDepth < 1 || maxNumberLength < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    private final String text;
    private final Limits limits;
    private int pos;
    private int depth;

    private JsonReader(String text, Limits limits) {
        this.text = text;
        this.limits = limits;
    }

    /** Parses {@code text}, which must hold exactly one JSON value. */
    public static Object parse(String text, Limits limits) throws JsonException {
        JsonReader reader = new JsonReader(text, limits);
        reader.skipSpace();
        if (reader.pos >= text.length()) {
            throw new JsonException("no JSON value (empty text)");
        }
        Object value = reader.value();
        reader.skipSpace();
        if (reader.pos < text.length()) {
            throw reader.error("unexpected " + reader.describeHere() + " after the JSON value");
        }
        return value;
    }

    private Object value() throws JsonException {
        if (pos >= text.length()) {
            throw error("the text ends where a value should be");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected " + describeHere() + " where a value should be");
            }
        };
    }

    private Map<String, Object> object() throws JsonException {
        enter();
        pos++; // {
        Map<String, Object> out = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            depth--;
            return out;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a field name in quotes, got " + describeHere());
            }
            String name = string();
            skipSpace();
            if (peek() != ':') {
                throw error("expected ':' after field name, got " + describeHere());
            }
            pos++;
            skipSpace();
            out.put(name, value());
            skipSpace();
            char c = peek();
            pos++;
            if (c == '}') {
                depth--;
                return out;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' in an object, got " + describeHere());
            }
        }
    }

    private List<Object> array() throws JsonException {
        enter();
        pos++; // [
        List<Object> out = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            depth--;
            return out;
        }
        while (true) {
            skipSpace();
            out.add(value());
            skipSpace();
            char c = peek();
            pos++;
            if (c == ']') {
                depth--;
                return out;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' in an array, got " + describeHere());
            }
        }
    }

    private void enter() throws JsonException {
        if (++depth > limits.maxDepth()) {
            throw error("nested deeper than " + limits.maxDepth() + " levels");
        }
    }

    private String string() throws JsonException {
        int start = ++pos; // opening quote
        StringBuilder sb = null;
        while (true) {
            if (pos >= text.length()) {
                throw error("a string is not closed");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("a control character (0x" + Integer.toHexString(c) + ") inside a string must be escaped");
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder(pos - start + 16);
                }
                sb.append(text, start, pos);
                pos++;
                if (pos >= text.length()) {
                    throw error("a string is not closed");
                }
                char e = text.charAt(pos);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 >= text.length()) {
                            throw error("a \\u escape needs four hex digits");
                        }
                        int v = 0;
                        for (int k = 1; k <= 4; k++) {
                            int d = Character.digit(text.charAt(pos + k), 16);
                            if (d < 0) {
                                throw error("a \\u escape needs four hex digits");
                            }
                            v = v * 16 + d;
                        }
                        sb.append((char) v);
                        pos += 4;
                    }
                    default -> throw error("unknown escape \\" + printable(e) + " in a string");
                }
                pos++;
                start = pos;
                continue;
            }
            pos++;
        }
    }

    private Object literal(String word, Object value) throws JsonException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected " + describeHere() + " where a value should be");
        }
        pos += word.length();
        return value;
    }

    private Object number() throws JsonException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw error("a number needs digits after '-'");
        }
        boolean integral = true;
        if (peek() == '.') {
            integral = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("a number needs digits after '.'");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("a number needs digits in its exponent");
            }
            while (isDigit(peek())) {
                pos++;
            }
        }
        if (pos - start > limits.maxNumberLength()) {
            throw error("a number longer than " + limits.maxNumberLength() + " characters");
        }
        String literal = text.substring(start, pos);
        if (!integral) {
            return Double.parseDouble(literal);
        }
        if (pos - start <= 18) {
            return Long.parseLong(literal);
        }
        BigInteger big = new BigInteger(literal);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private String describeHere() {
        if (pos >= text.length()) {
            return "end of text";
        }
        return "'" + printable(text.charAt(pos)) + "'";
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    private JsonException error(String what) {
        return new JsonException(what + " at column " + (pos + 1));
    }
}
