package io.routerctl.probes.query;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * How long one query may run, and whether anyone still wants its answer: checked between rows and,
 * through {@link #guard}, while a filter matches, so that a regular expression that backtracks
 * for minutes ({@code (.*)(.*)...Z}) is stopped at the deadline instead of holding a thread.
 *
 * <pre>{@code
 * QueryBudget budget = QueryBudget.of(Duration.ofSeconds(2), () -> !session.isClosed());
 * TaskReport report = registry.query(CompiledQuery.of(query), budget); // or OverBudgetException
 * }</pre>
 *
 * <h2>What it costs</h2>
 * {@link #check()} reads the clock (and asks the supplier) only every {@value #CHECK_EVERY}th
 * call; {@link #guard} allocates one small wrapper per matched string and counts its
 * {@code charAt} calls the same way. {@link #UNLIMITED} checks nothing.
 *
 * <h2>Thread safety</h2>
 * For the one thread running the query.
 */
public final class QueryBudget {

    /** Calls between two looks at the clock: a regex engine makes millions per second. */
    static final int CHECK_EVERY = 4_096;

    /** No deadline, always wanted: for a reader's own snapshot files. */
    public static final QueryBudget UNLIMITED = new QueryBudget(Long.MAX_VALUE, () -> null, System::nanoTime, 0);

    private static final String ABANDONED = "the query was abandoned: its client left";

    private final long deadlineNanos;
    private final Supplier<String> stop;
    private final LongSupplier clock;
    private final long allowedNanos;
    private int calls;

    private QueryBudget(long deadlineNanos, Supplier<String> stop, LongSupplier clock, long allowedNanos) {
        this.deadlineNanos = deadlineNanos;
        this.stop = stop;
        this.clock = clock;
        this.allowedNanos = allowedNanos;
    }

    /** A budget of {@code allowed} from now, abandoned as soon as {@code wanted} says no. */
    public static QueryBudget of(Duration allowed, BooleanSupplier wanted) {
        return of(allowed, wanted, System::nanoTime);
    }

    /** {@link #of(Duration, BooleanSupplier)} on another clock (tests). */
    public static QueryBudget of(Duration allowed, BooleanSupplier wanted, LongSupplier clock) {
        return stoppable(allowed, () -> wanted.getAsBoolean() ? null : ABANDONED, clock);
    }

    /**
     * A budget of {@code allowed} from now, stopped as soon as {@code stop} gives a reason (it
     * returns {@code null} while the query may go on): its client left, or it must make way for
     * another.
     */
    public static QueryBudget stoppable(Duration allowed, Supplier<String> stop) {
        return stoppable(allowed, stop, System::nanoTime);
    }

    private static QueryBudget stoppable(Duration allowed, Supplier<String> stop, LongSupplier clock) {
        long nanos = allowed.toNanos();
        return new QueryBudget(clock.getAsLong() + nanos, stop, clock, nanos);
    }

    /**
     * What is left of a budget of {@code whole} that ends at {@code deadlineNanos} ({@link System#nanoTime()}),
     * part of it spent already (waiting for a turn); messages name the whole budget.
     */
    public static QueryBudget until(long deadlineNanos, Duration whole, Supplier<String> stop) {
        return new QueryBudget(deadlineNanos, stop, System::nanoTime, whole.toNanos());
    }

    /** How much time this budget gave, in nanoseconds; 0 for {@link #UNLIMITED}. */
    public long allowedNanos() {
        return allowedNanos;
    }

    /** The deadline on this budget's clock; {@link Long#MAX_VALUE} for {@link #UNLIMITED}. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /**
     * Throws when the deadline passed or the answer is no longer wanted; looks only every
     * {@value #CHECK_EVERY}th call.
     *
     * @throws OverBudgetException past the deadline, or abandoned
     */
    public void check() {
        if (++calls < CHECK_EVERY || this == UNLIMITED) {
            return;
        }
        checkNow();
    }

    /** {@link #check()}, looking now. */
    public void checkNow() {
        calls = 0;
        if (this == UNLIMITED) {
            return;
        }
        String why = stop.get();
        if (why != null) {
            throw new OverBudgetException(why);
        }
        if (clock.getAsLong() - deadlineNanos >= 0) {
            throw new OverBudgetException("the query needed more than " + (allowedNanos / 1_000_000L)
                    + "ms; a simpler --filter (no nested or repeated .*) will do");
        }
    }

    /** {@code text} as a sequence whose every read counts against this budget. */
    public CharSequence guard(String text) {
        return this == UNLIMITED ? text : new Guarded(text, 0, text.length());
    }

    /** A view of a string that calls {@link #check()} on every {@code charAt}. */
    private final class Guarded implements CharSequence {
        private final String text;
        private final int start;
        private final int end;

        Guarded(String text, int start, int end) {
            this.text = text;
            this.start = start;
            this.end = end;
        }

        @Override
        public int length() {
            return end - start;
        }

        @Override
        public char charAt(int index) {
            check();
            return text.charAt(start + index);
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            if (from < 0 || to > length() || from > to) {
                throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + length());
            }
            return new Guarded(text, start + from, start + to);
        }

        @Override
        public String toString() {
            return text.substring(start, end);
        }
    }
}
