package io.routerctl.probes.snapshot;

import java.util.List;
import java.util.Locale;

/**
 * What a reader asks of a target: evaluated inside the target, so that only {@link #limit()} tasks
 * ever cross the wire, however many are in flight.
 *
 * @param stuckOnly   only tasks that made no progress for at least {@code olderThanMs}
 * @param olderThanMs the stuck threshold in milliseconds (a task with no progress for this long is stuck)
 * @param filter      a regular expression matched (find) against kind, remote address, label, last step,
 *                    waiting-on, state and loop; {@code null} for all; at most
 *                    {@value #MAX_FILTER_CHARS} characters
 * @param kinds       task kinds to include; empty for all
 * @param sort        the order of {@link TaskReport#tasks()}
 * @param descending  reverse the natural order of {@code sort}
 * @param limit       the most tasks to return (1..10000); the summary still counts them all
 * @param adaptive    also call a wait stuck when it exceeds the larger of a floor and a multiple
 *                    of its probe point's p99 (see {@code docs/detectors.md})
 */
public record TaskQuery(
        boolean stuckOnly,
        long olderThanMs,
        String filter,
        List<TaskKind> kinds,
        Sort sort,
        boolean descending,
        int limit,
        boolean adaptive) {

    /** The stuck threshold used when none is given: five seconds. */
    public static final long DEFAULT_OLDER_THAN_MS = 5_000;
    /** The most tasks one query returns. */
    public static final int MAX_LIMIT = 10_000;
    /** The longest filter a target accepts, in characters: a filter is typed, not generated. */
    public static final int MAX_FILTER_CHARS = 256;

    /** Sort keys. Natural order: age and idle oldest first, id and remote ascending. */
    public enum Sort {
        IDLE, AGE, ID, REMOTE, LOOP, STATE, KIND, STEP, WAITING;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The order of a report's tasks under this sort: idle and age longest first, the others
         * ascending (absent values last); reversed if {@code descending}; ties broken by id. The
         * target and a snapshot reader order the same way through this one comparator.
         */
        public java.util.Comparator<TaskSnapshot> order(boolean descending) {
            java.util.Comparator<TaskSnapshot> c = switch (this) {
                case IDLE -> java.util.Comparator.comparingLong(TaskSnapshot::idleMs).reversed();
                case AGE -> java.util.Comparator.comparingLong(TaskSnapshot::ageMs).reversed();
                case ID -> java.util.Comparator.comparingLong(TaskSnapshot::id);
                case REMOTE -> byText(TaskSnapshot::remote);
                case LOOP -> byText(TaskSnapshot::loop);
                case STATE -> byText(t -> t.state().wireName());
                case KIND -> byText(t -> t.kind().wireName());
                case STEP -> byText(TaskSnapshot::lastStep);
                case WAITING -> byText(TaskSnapshot::waitingOn);
            };
            if (descending) {
                c = c.reversed();
            }
            return c.thenComparingLong(TaskSnapshot::id);
        }

        private static java.util.Comparator<TaskSnapshot> byText(java.util.function.Function<TaskSnapshot, String> field) {
            return java.util.Comparator.comparing(field, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()));
        }
    }

    public TaskQuery {
        if (olderThanMs < 0) {
            throw new IllegalArgumentException("older_than_ms must be >= 0, got " + olderThanMs);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        kinds = kinds == null ? List.of() : List.copyOf(kinds);
        sort = sort == null ? Sort.IDLE : sort;
    }

    /** A query without the adaptive rule. */
    public TaskQuery(boolean stuckOnly, long olderThanMs, String filter, List<TaskKind> kinds, Sort sort,
                     boolean descending, int limit) {
        this(stuckOnly, olderThanMs, filter, kinds, sort, descending, limit, false);
    }

    /** This query with the adaptive rule switched on or off. */
    public TaskQuery withAdaptive(boolean on) {
        return new TaskQuery(stuckOnly, olderThanMs, filter, kinds, sort, descending, limit, on);
    }

    /** This query with another filter ({@code null}: none). */
    public TaskQuery withFilter(String filter) {
        return new TaskQuery(stuckOnly, olderThanMs, filter, kinds, sort, descending, limit, adaptive);
    }

    /** Stuck tasks with no progress for {@code olderThanMs}, longest-stuck first. */
    public static TaskQuery stuck(long olderThanMs, int limit) {
        return new TaskQuery(true, olderThanMs, null, List.of(), Sort.IDLE, false, limit);
    }

    /** All in-flight tasks, longest without progress first; still flags those stuck for {@code olderThanMs}. */
    public static TaskQuery all(long olderThanMs, int limit) {
        return new TaskQuery(false, olderThanMs, null, List.of(), Sort.IDLE, false, limit);
    }
}
