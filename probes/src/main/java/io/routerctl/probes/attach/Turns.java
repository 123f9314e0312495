package io.routerctl.probes.attach;

import io.routerctl.probes.query.OverBudgetException;
import io.routerctl.probes.query.QueryBudget;
import io.routerctl.probes.wire.ErrorCode;
import io.routerctl.probes.wire.WireException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Who may read the registry now, for every client of a target: one read at a time, each within a
 * {@link #BUDGET}, and after each the next waits as long as it ran, so attach threads use at most
 * half of one core however many clients ask.
 *
 * <h2>Costly reads make way</h2>
 * A read that ran out of its budget marks its caller costly and its filter known-costly (for
 * {@link #REMEMBER_COSTLY}). A costly read (a costly caller's, or one with a known-costly filter)
 * waits until no ordinary read is waiting, and stops, answered {@code over_budget}, as soon as an
 * ordinary one arrives: so sixteen clients looping a filter that backtracks cost the first one its
 * budget once, and a plain {@code dump-stuck} meanwhile is answered in milliseconds, not after
 * theirs. The cool-down after a costly read delays only costly reads, and is sat out before their
 * budget starts.
 *
 * <h2>Thread safety</h2>
 * Any attach thread; the state is guarded by one fair lock, the reads run outside it.
 */
final class Turns {

    /** The time one registry read may take, waiting for its turn included. */
    static final Duration BUDGET = Duration.ofSeconds(2);
    /** How long a filter that ran out of budget is treated as costly. */
    static final Duration REMEMBER_COSTLY = Duration.ofMinutes(1);
    private static final int MAX_REMEMBERED = 64;

    /** One caller: a session. */
    interface Caller {
        /** False once nobody waits for the answer (the session closed). */
        boolean wanted();

        /** Whether one of this caller's reads ran out of budget. */
        boolean costly();

        /** Marks this caller costly. */
        void markCostly();
    }

    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition changed = lock.newCondition();
    private boolean running;
    /** Ordinary reads waiting for a turn: written under the lock, read by running costly reads without it. */
    private volatile int ordinaryWaiting;
    private long nextTurn = System.nanoTime();
    private volatile long nextCostlyTurn = System.nanoTime();
    /** Filters that ran out of budget, and until when they count as costly; access order. */
    private final Map<String, Long> costlyFilters = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * Runs {@code read} in a turn for {@code caller}: waits for one within the budget, then runs it
     * with what is left of the budget.
     *
     * @param filter the read's filter, or {@code null}
     * @throws WireException {@code over_budget} when no turn came in time, the read ran out of
     *                        budget, or (costly) it made way for an ordinary read
     */
    <T> T run(Caller caller, String filter, Function<QueryBudget, T> read) throws WireException {
        boolean costly = caller.costly() || knownCostly(filter, System.nanoTime());
        if (costly) {
            // Sit out the cool-down of the last costly read first, on this client's own thread: it
            // costs the service nothing, and the budget then starts whole.
            long coolDown = nextCostlyTurn - System.nanoTime();
            while (coolDown > 0 && caller.wanted()) {
                LockSupport.parkNanos(coolDown);
                coolDown = nextCostlyTurn - System.nanoTime();
            }
        }
        long deadline = System.nanoTime() + BUDGET.toNanos();
        take(costly, deadline);
        QueryBudget budget = QueryBudget.until(deadline, BUDGET,
                () -> !caller.wanted() ? "the query was abandoned: its client left"
                        : costly && ordinaryWaiting > 0 ? "the query made way for another client's; its filter is "
                        + "costly (it ran out of budget before): simplify it" : null);
        long began = System.nanoTime();
        boolean overBudget = false;
        try {
            return read.apply(budget);
        } catch (OverBudgetException e) {
            overBudget = true;
            throw overBudget(e.getMessage());
        } finally {
            give(costly, overBudget, caller, filter, began);
        }
    }

    private void take(boolean costly, long deadline) throws WireException {
        lock.lock();
        try {
            if (!costly) {
                ordinaryWaiting++;
            }
            try {
                while (true) {
                    long now = System.nanoTime();
                    long openAt = costly ? Math.max(nextTurn, nextCostlyTurn) : nextTurn;
                    boolean free = !running && now - openAt >= 0 && (!costly || ordinaryWaiting == 0);
                    if (free) {
                        running = true;
                        return;
                    }
                    long left = deadline - now;
                    if (left <= 0) {
                        throw overBudget("other clients' requests took the target's whole budget of "
                                + BUDGET.toMillis() + "ms for this one; try again");
                    }
                    long wait = running ? left : Math.max(1, Math.min(left, openAt - now));
                    changed.awaitNanos(wait);
                }
            } finally {
                if (!costly) {
                    ordinaryWaiting--;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw overBudget("the request was abandoned while it waited for its turn");
        } finally {
            lock.unlock();
        }
    }

    private void give(boolean costly, boolean overBudget, Caller caller, String filter, long began) {
        long end = System.nanoTime();
        if (overBudget && !costly) {
            caller.markCostly();
        }
        lock.lock();
        try {
            running = false;
            if (costly || overBudget) {
                nextCostlyTurn = end + (end - began);
            } else {
                nextTurn = end + (end - began);
            }
            if (overBudget && filter != null) {
                costlyFilters.put(filter, end + REMEMBER_COSTLY.toNanos());
                if (costlyFilters.size() > MAX_REMEMBERED) {
                    costlyFilters.remove(costlyFilters.keySet().iterator().next());
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean knownCostly(String filter, long now) {
        if (filter == null) {
            return false;
        }
        lock.lock();
        try {
            Long until = costlyFilters.get(filter);
            if (until == null) {
                return false;
            }
            if (now - until >= 0) {
                costlyFilters.remove(filter);
                return false;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private static WireException overBudget(String message) {
        return new WireException(ErrorCode.OVER_BUDGET, message);
    }
}
