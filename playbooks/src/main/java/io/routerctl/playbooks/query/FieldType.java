package io.routerctl.playbooks.query;

/** What a query yields, which decides the values it may be compared with. */
public enum FieldType {
    /** A count or other plain number: compared with numbers. */
    NUMBER,
    /** Milliseconds (fields ending in {@code _ms}): compared with numbers (taken as ms) or durations. */
    MILLIS,
    /** Text (a step name, an address): compared with {@code ==} and {@code !=} only. */
    TEXT
}
