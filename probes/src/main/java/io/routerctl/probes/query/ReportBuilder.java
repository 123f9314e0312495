package io.routerctl.probes.query;

import io.routerctl.probes.snapshot.PointSummary;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.regex.Pattern;

/**
 * Answers one {@link TaskQuery} over the rows offered to it: counts every task in flight and
 * stuck, groups the stuck ones, and keeps the best {@code limit} matches in the query's order.
 *
 * <pre>{@code
 * ReportBuilder report = new ReportBuilder(query);
 * for (TaskRow row : rows) {
 *     report.offer(row);
 * }
 * TaskReport answer = report.build(takenAtEpochMs, refused, points);
 * }</pre>
 *
 * <h2>What it costs</h2>
 * Counting and grouping read only the row's primitive facts and the point names the row already
 * holds. A row becomes a {@link TaskSnapshot} (strings, lists) only when it makes the top
 * {@code limit}: with no filter and a full window, a row that sorts after the worst kept one is
 * judged on its primitive sort key (idle, age, id) and skipped, so a query over a million tasks
 * builds about {@code limit} snapshots, not a million.
 *
 * <h2>Thread safety</h2>
 * One reader thread; not thread safe.
 */
public final class ReportBuilder {

    private final TaskQuery query;
    private final Pattern filter;
    private final QueryBudget budget;
    private final Comparator<TaskSnapshot> order;
    /** A max-heap on {@code order}: its head is the worst task kept. */
    private final PriorityQueue<TaskSnapshot> kept;
    private final Map<GroupKey, Group> groups = new HashMap<>();
    private int inFlight;
    private int stuck;
    private int matched;

    /** A builder for {@code query}, without a budget; its filter, if any, must be a valid regular expression. */
    public ReportBuilder(TaskQuery query) {
        this(CompiledQuery.of(query), QueryBudget.UNLIMITED);
    }

    /**
     * A builder for a compiled query within {@code budget}: {@link #offer} throws
     * {@link OverBudgetException} once the budget is spent, also in the middle of matching a filter.
     */
    public ReportBuilder(CompiledQuery compiled, QueryBudget budget) {
        this.query = compiled.query();
        this.filter = compiled.filter();
        this.budget = budget;
        this.order = query.sort().order(query.descending());
        this.kept = new PriorityQueue<>(Math.min(query.limit(), 1024) + 1, order.reversed());
    }

    /**
     * Applies the query to one task; keeps no reference to {@code row}.
     *
     * @throws OverBudgetException when the budget is spent
     */
    public void offer(TaskRow row) {
        budget.check();
        String rule = StuckRule.of(row, query.olderThanMs(), query.adaptive());
        if (row.state().isInFlight()) {
            inFlight++;
        }
        if (rule != null) {
            stuck++;
            group(row);
        }
        if (query.stuckOnly() && rule == null) {
            return;
        }
        if (!query.kinds().isEmpty() && !query.kinds().contains(row.kind())) {
            return;
        }
        if (filter == null && kept.size() >= query.limit() && sortsAfter(row, kept.peek())) {
            matched++;
            return;
        }
        if (filter != null && !matches(filter, row, budget)) {
            return;
        }
        matched++;
        kept.add(row.snapshot(rule));
        if (kept.size() > query.limit()) {
            kept.poll();
        }
    }

    /**
     * The report: the kept tasks in order, the groups largest first (then oldest), and the counts
     * of every task offered.
     */
    public TaskReport build(long takenAtEpochMs, long refused, List<PointSummary> points) {
        List<TaskSnapshot> tasks = new ArrayList<>(kept);
        tasks.sort(order);
        List<StuckGroup> stuckGroups = new ArrayList<>(groups.size());
        for (Map.Entry<GroupKey, Group> e : groups.entrySet()) {
            GroupKey k = e.getKey();
            Group g = e.getValue();
            stuckGroups.add(new StuckGroup(k.kind, k.lastStep, k.waitingOn, g.waitingAt, g.count, g.oldestMs,
                    g.lostWakeups, g.waitP99Ms, g.orphans));
        }
        stuckGroups.sort(GROUP_ORDER);
        return new TaskReport(takenAtEpochMs, inFlight, stuck, matched, stuckGroups, tasks, refused, points);
    }

    /** Groups largest first, then the one stuck longest, as every reader shows them. */
    public static final Comparator<StuckGroup> GROUP_ORDER = Comparator.comparingInt(StuckGroup::count).reversed()
            .thenComparing(Comparator.comparingLong(StuckGroup::oldestMs).reversed());

    private void group(TaskRow row) {
        // A thread's wait is a call at a site of its own; a probe point's site is the point's.
        String at = row.kind() == TaskKind.THREAD ? row.waitingAt() : null;
        Group g = groups.computeIfAbsent(new GroupKey(row.kind(), row.lastStep(), row.waitingOn(), at),
                k -> new Group(row.waitingAt(), row.waitP99Ms()));
        g.count++;
        g.oldestMs = Math.max(g.oldestMs, row.idleMs());
        if (row.lostWakeup()) {
            g.lostWakeups++;
        }
        if (row.orphaned()) {
            g.orphans++;
        }
    }

    /**
     * Whether {@code row} sorts after {@code worst} in the query's order, judged on its primitive
     * sort key the way {@link TaskQuery.Sort#order} would judge its snapshot; false when the sort
     * key is not primitive (the caller then builds the snapshot and compares it).
     */
    private boolean sortsAfter(TaskRow row, TaskSnapshot worst) {
        long mine;
        long theirs;
        switch (query.sort()) {
            case IDLE -> {
                mine = -row.idleMs();
                theirs = -worst.idleMs();
            }
            case AGE -> {
                mine = -row.ageMs();
                theirs = -worst.ageMs();
            }
            case ID -> {
                mine = row.id();
                theirs = worst.id();
            }
            default -> {
                return false;
            }
        }
        if (query.descending()) {
            mine = -mine;
            theirs = -theirs;
        }
        if (mine != theirs) {
            return mine > theirs;
        }
        return row.id() > worst.id();
    }

    /**
     * Whether {@code filter} is found in any of the fields a filter searches: kind, remote address,
     * label, last step, waiting-on, state and loop.
     */
    static boolean matches(Pattern filter, TaskRow t, QueryBudget budget) {
        return find(filter, t.kind().wireName(), budget) || find(filter, t.remote(), budget)
                || find(filter, t.label(), budget) || find(filter, t.lastStep(), budget) || find(filter, t.waitingOn(), budget)
                || find(filter, t.state().wireName(), budget) || find(filter, t.loop(), budget);
    }

    private static boolean find(Pattern p, String s, QueryBudget budget) {
        return s != null && p.matcher(budget.guard(s)).find();
    }

    /**
     * A group's key. Not a record: a record's generated {@code equals} and {@code hashCode} go
     * through {@code java.lang.runtime.ObjectMethods}, whose shared method handles on JDK 17 keep
     * the last record class they were adapted to (JDK-8078641, fixed in 18), and with it the
     * class loader of a detached agent.
     */
    private static final class GroupKey {
        private final TaskKind kind;
        private final String lastStep;
        private final String waitingOn;
        private final String site;

        GroupKey(TaskKind kind, String lastStep, String waitingOn, String site) {
            this.kind = kind;
            this.lastStep = lastStep;
            this.waitingOn = waitingOn;
            this.site = site;
        }

        TaskKind kind() {
            return kind;
        }

        String lastStep() {
            return lastStep;
        }

        String waitingOn() {
            return waitingOn;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof GroupKey k && kind == k.kind && java.util.Objects.equals(lastStep, k.lastStep)
                    && java.util.Objects.equals(waitingOn, k.waitingOn) && java.util.Objects.equals(site, k.site);
        }

        @Override
        public int hashCode() {
            return (kind.hashCode() * 31 + java.util.Objects.hashCode(lastStep)) * 31 + java.util.Objects.hashCode(waitingOn);
        }
    }

    private static final class Group {
        final String waitingAt;
        final Double waitP99Ms;
        int count;
        long oldestMs;
        int lostWakeups;
        int orphans;

        Group(String waitingAt, Double waitP99Ms) {
            this.waitingAt = waitingAt;
            this.waitP99Ms = waitP99Ms;
        }
    }
}
