package io.routerctl.playbooks.query;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The names a query starts with. Each reads one document kind: a number at a fixed path, or a
 * collection of items (an array at a fixed path).
 */
public enum Root {
    /** dump-stuck: {@code summary.in_flight}. */
    IN_FLIGHT("in_flight", DocumentKind.DUMP_STUCK, "summary.in_flight", FieldType.NUMBER, null),
    /** dump-stuck: {@code summary.refused}, registrations refused by full shards (overload). */
    REFUSED("refused", DocumentKind.DUMP_STUCK, "summary.refused", FieldType.NUMBER, null),
    /** dump-stuck: the stuck tasks ({@code tasks}); counts come from {@code summary} where exact. */
    STUCK("stuck", DocumentKind.DUMP_STUCK, "tasks", null, ItemKind.TASK),
    /** dump-stuck: {@code summary.groups}, largest first. */
    GROUPS("groups", DocumentKind.DUMP_STUCK, "summary.groups", null, ItemKind.GROUP),
    /** diff: tasks stuck in both snapshots, the real hangs. */
    PERSISTENT("persistent", DocumentKind.DIFF, "persistent", null, ItemKind.TASK),
    /** diff: tasks stuck only in the second snapshot. */
    NEW("new", DocumentKind.DIFF, "new", null, ItemKind.TASK),
    /** diff: tasks stuck in the first snapshot and gone from the second: slow, not stuck. */
    RESOLVED("resolved", DocumentKind.DIFF, "resolved", null, ItemKind.TASK),
    /** loops: one entry per event loop. */
    LOOPS("loops", DocumentKind.LOOPS, "loops", null, ItemKind.LOOP);

    private final String word;
    private final DocumentKind document;
    private final String path;
    private final FieldType scalarType;
    private final ItemKind items;

    Root(String word, DocumentKind document, String path, FieldType scalarType, ItemKind items) {
        this.word = word;
        this.document = document;
        this.path = path;
        this.scalarType = scalarType;
        this.items = items;
    }

    /** The name written in a query. */
    public String word() {
        return word;
    }

    /** The document this root reads. */
    public DocumentKind document() {
        return document;
    }

    /** The dotted JSON path it reads in that document. */
    public String path() {
        return path;
    }

    /** For a number root, its type; {@code null} for a collection. */
    public FieldType scalarType() {
        return scalarType;
    }

    /** For a collection root, its items; {@code null} for a number. */
    public ItemKind items() {
        return items;
    }

    /** The root written {@code word}, or {@code null}. */
    public static Root of(String word) {
        for (Root r : values()) {
            if (r.word.equals(word)) {
                return r;
            }
        }
        return null;
    }

    /** Every root word, comma separated, for "expected one of" messages. */
    public static String allWords() {
        return Arrays.stream(values()).map(Root::word).collect(Collectors.joining(", "));
    }
}
