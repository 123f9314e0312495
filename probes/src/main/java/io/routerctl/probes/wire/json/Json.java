package io.routerctl.probes.wire.json;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the protocol's JSON: a text into a tree ({@link #parse}), a tree, record, enum,
 * list or map into one line of text ({@link #write}), and a tree into a record ({@link #read}).
 *
 * <pre>{@code
 * Object tree = Json.parse("{\"pid\":4242,\"name\":\"router\"}");
 * TargetInfo t = Json.read(tree, TargetInfo.class);      // missing components: null, 0, false
 * String line = Json.write(t);                           // {"pid":4242,"name":"router",...}
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * Stateless but for a per-record-class cache of accessors; safe from any thread. Methods never
 * return {@code null} unless the JSON value was {@code null}.
 */
public final class Json {

    private Json() {
    }

    // ---------------------------------------------------------------- parsing

    /** Parses one JSON value with the protocol's limits. */
    public static Object parse(String text) throws JsonException {
        return JsonReader.parse(text, JsonReader.Limits.PROTOCOL);
    }

    /** Parses one JSON value with {@code limits}. */
    public static Object parse(String text, JsonReader.Limits limits) throws JsonException {
        return JsonReader.parse(text, limits);
    }

    // ---------------------------------------------------------------- writing

    /** {@code value} as compact JSON on one line. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(128);
        write(value, out);
        return out.toString();
    }

    /** Appends {@code value} as compact JSON to {@code out}. */
    public static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                out.append("null");
            } else {
                out.append(value instanceof Float f ? Float.toString(f) : Double.toString(d));
            }
        } else if (value instanceof Enum<?> e) {
            writeString(e.toString(), out);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(String.valueOf(entry.getKey()), out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object element : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(element, out);
            }
            out.append(']');
        } else if (value.getClass().isArray()) {
            out.append('[');
            for (int i = 0, n = Array.getLength(value); i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(Array.get(value, i), out);
            }
            out.append(']');
        } else if (value instanceof Record) {
            Shape shape = SHAPES.get(value.getClass());
            out.append('{');
            for (int i = 0; i < shape.names.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeString(shape.names[i], out);
                out.append(':');
                write(shape.get(value, i), out);
            }
            out.append('}');
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    private static final String HEX = "0123456789ABCDEF";

    /** Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped. */
    public static void writeString(String s, StringBuilder out) {
        out.append('"');
        int start = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, start, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append("\\u00").append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
            }
            start = i + 1;
        }
        out.append(s, start, s.length()).append('"');
    }

    /**
     * {@code value} as a tree: records and maps become objects, collections and arrays lists, enums
     * strings; trees and scalars stay as they are.
     */
    public static Object toTree(Object value) {
        if (value instanceof Record) {
            Shape shape = SHAPES.get(value.getClass());
            Map<String, Object> out = new LinkedHashMap<>();
            for (int i = 0; i < shape.names.length; i++) {
                out.put(shape.names[i], toTree(shape.get(value, i)));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), toTree(v)));
            return out;
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(v -> out.add(toTree(v)));
            return out;
        }
        if (value instanceof Enum<?> e) {
            return e.toString();
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        return value;
    }

    // ---------------------------------------------------------------- binding

    /** The tree as {@code type}: a record, a list, an enum or a scalar. */
    public static <T> T read(Object tree, Class<T> type) throws JsonException {
        @SuppressWarnings("unchecked")
        T t = (T) convert(tree, type, type.getSimpleName());
        return t;
    }

    /** The tree as a list of {@code element}. */
    public static <T> List<T> readList(Object tree, Class<T> element) throws JsonException {
        if (!(tree instanceof List<?> list)) {
            throw new JsonException("expected a list of " + element.getSimpleName() + ", got " + describe(tree));
        }
        List<T> out = new ArrayList<>(list.size());
        for (Object o : list) {
            out.add(element.cast(convert(o, element, element.getSimpleName())));
        }
        return out;
    }

    private static Object convert(Object tree, Type type, String path) throws JsonException {
        Class<?> raw = rawClass(type);
        if (tree == null) {
            return defaultOf(raw);
        }
        if (raw == Object.class) {
            return tree;
        }
        if (raw.isRecord()) {
            if (!(tree instanceof Map<?, ?> map)) {
                throw new JsonException(path + " must be an object, got " + describe(tree));
            }
            Shape shape = SHAPES.get(raw);
            Object[] args = new Object[shape.names.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = convert(map.get(shape.names[i]), shape.types[i], path + "." + shape.names[i]);
            }
            return shape.construct(args, path);
        }
        if (raw == String.class) {
            if (tree instanceof String s) {
                return s;
            }
            throw new JsonException(path + " must be a string, got " + describe(tree));
        }
        if (raw == long.class || raw == Long.class) {
            return integral(tree, path, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (raw == int.class || raw == Integer.class) {
            return (int) integral(tree, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (raw == double.class || raw == Double.class) {
            if (tree instanceof Number n) {
                return n.doubleValue();
            }
            throw new JsonException(path + " must be a number, got " + describe(tree));
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (tree instanceof Boolean b) {
                return b;
            }
            throw new JsonException(path + " must be true or false, got " + describe(tree));
        }
        if (raw.isEnum()) {
            if (tree instanceof String s) {
                for (Object constant : raw.getEnumConstants()) {
                    if (constant.toString().equals(s)) {
                        return constant;
                    }
                }
            }
            throw new JsonException(path + " must be one of " + List.of(raw.getEnumConstants()) + ", got " + describe(tree));
        }
        if (List.class.isAssignableFrom(raw) || Collection.class.isAssignableFrom(raw)) {
            if (!(tree instanceof List<?> list)) {
                throw new JsonException(path + " must be a list, got " + describe(tree));
            }
            Type element = type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(convert(list.get(i), element, path + "[" + i + "]"));
            }
            return out;
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!(tree instanceof Map<?, ?> map)) {
                throw new JsonException(path + " must be an object, got " + describe(tree));
            }
            Type valueType = type instanceof ParameterizedType p ? p.getActualTypeArguments()[1] : Object.class;
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put((String) e.getKey(), convert(e.getValue(), valueType, path + "." + e.getKey()));
            }
            return out;
        }
        throw new JsonException(path + ": cannot read a " + raw.getSimpleName() + " from JSON");
    }

    private static long integral(Object tree, String path, long min, long max) throws JsonException {
        long v;
        if (tree instanceof Long l) {
            v = l;
        } else if (tree instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            v = d.longValue();
        } else {
            throw new JsonException(path + " must be an integer, got " + describe(tree));
        }
        if (v < min || v > max) {
            throw new JsonException(path + " is out of range: " + v);
        }
        return v;
    }

    private static Object defaultOf(Class<?> raw) {
        if (!raw.isPrimitive()) {
            return null;
        }
        if (raw == boolean.class) {
            return false;
        }
        if (raw == long.class) {
            return 0L;
        }
        if (raw == int.class) {
            return 0;
        }
        if (raw == double.class) {
            return 0.0;
        }
        throw new IllegalArgumentException("no default for " + raw);
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    /** A short description of a tree value for messages: {@code an object}, {@code "text"}, {@code 12}. */
    public static String describe(Object tree) {
        if (tree instanceof Map) {
            return "an object";
        }
        if (tree instanceof List) {
            return "an array";
        }
        String s = write(tree);
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /**
     * A name in snake case, the way the protocol names fields: an underscore before each run of
     * capitals, which become lower case ({@code takenAtEpochMs} to {@code taken_at_epoch_ms},
     * {@code waitP99Ms} to {@code wait_p99_ms}).
     */
    public static String snakeCase(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        boolean previousUpper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (!previousUpper && sb.length() > 0 && sb.charAt(sb.length() - 1) != '_') {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
                previousUpper = true;
            } else {
                sb.append(c);
                previousUpper = false;
            }
        }
        return sb.toString();
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            return new Shape(type);
        }
    };

    /**
     * A record class's components: JSON names, generic types, accessors and constructor. Called
     * through core reflection, not method handles: a console command decodes a handful of replies
     * and exits, and on Java 17 each method handle made here spins classes that no class-data
     * archive holds (about 20 ms of a one-question command).
     */
    private static final class Shape {
        final String[] names;
        final Type[] types;
        final Method[] accessors;
        final Constructor<?> constructor;
        final String typeName;

        Shape(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            names = new String[components.length];
            types = new Type[components.length];
            accessors = new Method[components.length];
            Class<?>[] raw = new Class<?>[components.length];
            try {
                for (int i = 0; i < components.length; i++) {
                    names[i] = snakeCase(components[i].getName());
                    types[i] = components[i].getGenericType();
                    raw[i] = components[i].getType();
                    accessors[i] = components[i].getAccessor();
                }
                constructor = type.getConstructor(raw);
                if (!Modifier.isPublic(type.getModifiers())) {
                    throw new NoSuchMethodException(type.getName() + " is not public");
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("record " + type.getName() + " must be public with a public "
                        + "canonical constructor to be written as JSON", e);
            }
            typeName = type.getSimpleName();
        }

        Object get(Object record, int i) {
            try {
                return accessors[i].invoke(record);
            } catch (InvocationTargetException e) {
                throw rethrown(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        Object construct(Object[] args, String path) throws JsonException {
            try {
                return constructor.newInstance(args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
                    throw new JsonException(path + " is not a valid " + typeName + ": " + cause.getMessage());
                }
                throw rethrown(cause);
            } catch (IllegalArgumentException e) {
                throw new JsonException(path + " is not a valid " + typeName + ": " + e.getMessage());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        private static RuntimeException rethrown(Throwable cause) {
            if (cause instanceof RuntimeException r) {
                return r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            return new IllegalStateException(cause);
        }
    }
}
