package io.routerctl.playbooks.query;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The kinds of items a collection query holds, with the fields each has (by their JSON names). */
public enum ItemKind {
    /** A task as dump-stuck and diff print it. {@code warnings} matches when the list contains the value. */
    TASK("task", fields(
            "id", FieldType.NUMBER, "kind", FieldType.TEXT, "parent", FieldType.NUMBER,
            "remote", FieldType.TEXT, "local", FieldType.TEXT, "loop", FieldType.TEXT,
            "age_ms", FieldType.MILLIS, "state", FieldType.TEXT, "last_step", FieldType.TEXT,
            "last_step_ago_ms", FieldType.MILLIS, "waiting_on", FieldType.TEXT,
            "waiting_ms", FieldType.MILLIS, "waiting_at", FieldType.TEXT, "idle_ms", FieldType.MILLIS,
            "warnings", FieldType.TEXT)),
    /** A stuck group: tasks sharing kind, last step and waiting-on, with dump-stuck's sentence. */
    GROUP("group", fields(
            "kind", FieldType.TEXT, "last_step", FieldType.TEXT, "waiting_on", FieldType.TEXT,
            "waiting_at", FieldType.TEXT, "count", FieldType.NUMBER, "oldest_ms", FieldType.MILLIS,
            "text", FieldType.TEXT)),
    /** An event loop as {@code loops} prints it. */
    LOOP("loop", fields(
            "name", FieldType.TEXT, "tasks", FieldType.NUMBER, "in_flight", FieldType.NUMBER,
            "stuck", FieldType.NUMBER, "registered", FieldType.NUMBER, "refused", FieldType.NUMBER));

    private final String label;
    private final Map<String, FieldType> fields;

    ItemKind(String label, Map<String, FieldType> fields) {
        this.label = label;
        this.fields = fields;
    }

    /** A word for messages, e.g. {@code task}. */
    public String label() {
        return label;
    }

    /** Field name to type, in documentation order; unmodifiable. */
    public Map<String, FieldType> fields() {
        return fields;
    }

    private static Map<String, FieldType> fields(Object... pairs) {
        Map<String, FieldType> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (FieldType) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
