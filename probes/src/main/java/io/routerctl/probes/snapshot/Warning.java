package io.routerctl.probes.snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Warnings a task can carry, each a bit in the task's warning mask. Every warning has a wire name
 * and a sentence that says what it means, shown by the console.
 */
public enum Warning {
    /** The completer of the future the task waits on became unreachable: nobody can complete it. */
    LOST_WAKEUP("the completer of the future it waits on was dropped without completing: it can never complete"),
    /** The event loop that owns the task is blocked; its lack of progress has that cause. */
    BLOCKED_LOOP("its event loop is blocked, so it cannot make progress until the loop runs again"),
    /** Its current wait is longer than a high percentile of its probe point's history. */
    SLOW("its current wait is longer than the probe point's usual latency (high percentile)"),
    /** A thread that outlived the request it served: nobody waits for it any more, and it leaks. */
    ORPHANED("the request it served has ended (its client gone or answered), and its thread still lives: a leak");

    private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');
    private final String meaning;

    Warning(String meaning) {
        this.meaning = meaning;
    }

    /** The bit of this warning in a task's mask. */
    public int bit() {
        return 1 << ordinal();
    }

    /** The name used on the wire and in the console, e.g. {@code lost-wakeup}. */
    public String wireName() {
        return wireName;
    }

    /** One sentence saying what the warning means for the task. */
    public String meaning() {
        return meaning;
    }

    /** The wire names of the warnings set in {@code mask}, in declaration order. */
    public static List<String> namesOf(int mask) {
        if (mask == 0) {
            return List.of();
        }
        List<String> names = new ArrayList<>(2);
        for (Warning w : values()) {
            if ((mask & w.bit()) != 0) {
                names.add(w.wireName);
            }
        }
        return names;
    }

    /** The warning with this wire name, or {@code null}. */
    public static Warning ofWireName(String wireName) {
        for (Warning w : values()) {
            if (w.wireName.equals(wireName)) {
                return w;
            }
        }
        return null;
    }
}
