package io.routerctl.probes.query;

import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.snapshot.TaskState;

/**
 * One task as the rules see it: the few facts the stuck rules, filters, groups and order need,
 * cheap to give for a live slot (no string is built until asked for) and for a saved task alike.
 *
 * <p>A reader may reuse one row object for every task it reads; a {@link ReportBuilder} keeps no
 * reference to a row past {@link ReportBuilder#offer}, only the snapshots it asked for.
 *
 * <h2>Thread safety</h2>
 * For the one reader thread that fills it.
 */
public interface TaskRow {

    /** The task's id. */
    long id();

    /** The parent's id, or 0 for none. */
    long parentId();

    TaskKind kind();

    TaskState state();

    /** Milliseconds since the task started. */
    long ageMs();

    /** Milliseconds since its last progress (start, a step, the end of a wait). */
    long idleMs();

    /** The probe point it waits on, or {@code null} when not waiting. */
    String waitingOn();

    /** Whole milliseconds it has waited, or -1 when not waiting. */
    long waitingMs();

    /**
     * How long a wait on {@link #waitingOn()} must last for the adaptive rule, in whole
     * milliseconds, or -1 when the point has too little history (or the task does not wait).
     */
    long adaptiveStuckAfterMs();

    /** The last step passed, or {@code null}. */
    String lastStep();

    /** The peer's address as {@code ss -tn} shows it, or {@code null}. */
    String remote();

    /** What the task is, e.g. {@code GET /api/items/42} for a request, or {@code null}. */
    String label();

    /** The event loop (shard) that owns it. */
    String loop();

    /** Where {@link #waitingOn()} is declared, or {@code null}. */
    String waitingAt();

    /** The p99 of completed waits on {@link #waitingOn()}, or {@code null} without history. */
    Double waitP99Ms();

    /** Whether it carries a {@code lost-wakeup} warning. */
    boolean lostWakeup();

    /** Whether it carries an {@code orphaned} warning (a thread that outlived its request). */
    boolean orphaned();

    /** The task as a snapshot whose stuck rule is {@code stuckRule} ({@code null}: not stuck). */
    TaskSnapshot snapshot(String stuckRule);
}
