package io.routerctl.probes;

/**
 * What the registry does when it proves a lost wake-up at a probe point: the completer of a pending
 * future became unreachable, so nobody can ever complete it.
 */
public enum LostWakeupPolicy {
    /** Mark the waiting task with a {@code lost-wakeup} warning and count it (the default). */
    REPORT,
    /**
     * Also complete the future exceptionally with a {@link LostWakeupException}, so the waiter fails
     * fast with an explanation instead of hanging, as a dropped sender does in Rust.
     */
    FAIL
}
