package io.routerctl.console.source;

import io.routerctl.probes.Warning;
import io.routerctl.probes.attach.TaskFamily;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSummary;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The in-flight tasks of a target at one moment, and the target's questions answered over them
 * with the target's own rules: a saved snapshot answers {@code dump-stuck}, {@code loops} and
 * {@code task} as the target would have answered at the instant it was taken.
 *
 * <h2>The rules, as the target applies them</h2>
 * <ul>
 *   <li>In flight: state {@code running} or {@code waiting}.</li>
 *   <li>Stuck (older-than): in flight and no progress for at least the threshold
 *       ({@code idle_ms >= threshold}).</li>
 *   <li>Stuck (adaptive, only when the query asks, and always for loops as the target does):
 *       waiting at least its probe point's {@code stuck_after_ms}.</li>
 *   <li>Groups: stuck tasks sharing kind, last step and waiting-on; largest first, then oldest.</li>
 *   <li>Filter: a regular expression found in kind, remote, last step, waiting-on, state or loop.</li>
 * </ul>
 * Warnings ({@code lost-wakeup}, {@code slow}, {@code blocked-loop}) are kept as the target stated
 * them when the tasks were read.
 *
 * <h2>Truncation</h2>
 * A target with more than {@link TaskQuery#MAX_LIMIT} live tasks gives only that many, those
 * longest without progress first: every stuck task is kept unless more than the cap are stuck.
 * {@link #truncated()} says so; counts that need every task then come from the target's own totals.
 *
 * <h2>Thread safety</h2>
 * Immutable; safe from any thread. No method returns {@code null} unless it says so.
 *
 * @see SnapshotSource
 */
public final class SavedTasks {

    private final long takenAtEpochMs;
    private final List<TaskSnapshot> tasks;
    private final List<PointSummary> points;
    private final long refused;
    private final boolean truncated;
    private final int inFlightTotal;
    private final Map<Long, TaskSnapshot> byId = new HashMap<>();

    /**
     * @param inFlightTotal the target's own in-flight count (used when {@code truncated})
     */
    public SavedTasks(long takenAtEpochMs, List<TaskSnapshot> tasks, List<PointSummary> points, long refused,
                      boolean truncated, int inFlightTotal) {
        this.takenAtEpochMs = takenAtEpochMs;
        this.tasks = List.copyOf(tasks);
        this.points = List.copyOf(points);
        this.refused = refused;
        this.truncated = truncated;
        this.inFlightTotal = inFlightTotal;
        for (TaskSnapshot t : this.tasks) {
            byId.put(t.id(), t);
        }
    }

    /** The tasks of an all-tasks report ({@code stuck_only=false}). */
    public static SavedTasks of(TaskReport all) {
        return new SavedTasks(all.takenAtEpochMs(), all.tasks(), all.points(), all.refused(),
                all.tasks().size() < all.matched(), all.inFlight());
    }

    public long takenAtEpochMs() {
        return takenAtEpochMs;
    }

    /** The tasks, longest without progress first. */
    public List<TaskSnapshot> tasks() {
        return tasks;
    }

    /** The await probe points' summaries at that moment. */
    public List<PointSummary> points() {
        return points;
    }

    public long refused() {
        return refused;
    }

    /** Whether the target had more live tasks than were read. */
    public boolean truncated() {
        return truncated;
    }

    /** The task with {@code id}, or {@code null}. */
    public TaskSnapshot byId(long id) {
        return byId.get(id);
    }

    /** Whether {@code t} is in flight (running or waiting). */
    public static boolean inFlight(TaskSnapshot t) {
        return "running".equals(t.state()) || "waiting".equals(t.state());
    }

    /** The rule that makes {@code t} stuck, {@code older-than} or {@code adaptive}, or {@code null}. */
    public String stuckRule(TaskSnapshot t, long thresholdMs, boolean adaptive) {
        if (!inFlight(t)) {
            return null;
        }
        if (t.idleMs() >= thresholdMs) {
            return "older-than";
        }
        if (adaptive && "waiting".equals(t.state()) && t.waitingOn() != null && t.waitingMs() != null) {
            PointSummary p = point(t.waitingOn());
            if (p != null && p.stuckAfterMs() != null && t.waitingMs() >= p.stuckAfterMs()) {
                return "adaptive";
            }
        }
        return null;
    }

    /** {@code t} with its stuck flag and rule for this threshold. */
    public TaskSnapshot classify(TaskSnapshot t, long thresholdMs, boolean adaptive) {
        String rule = stuckRule(t, thresholdMs, adaptive);
        if (Objects.equals(rule, t.stuckRule()) && t.stuck() == (rule != null)) {
            return t;
        }
        return new TaskSnapshot(t.id(), t.kind(), t.parent(), t.remote(), t.local(), t.loop(), t.ageMs(), t.state(),
                t.lastStep(), t.lastStepAgoMs(), t.waitingOn(), t.waitingMs(), t.waitingAt(), rule != null, t.idleMs(),
                t.steps(), t.stepsDropped(), t.warnings(), rule);
    }

    /** The answer the target would have given to {@code query} at {@link #takenAtEpochMs()}. */
    public TaskReport query(TaskQuery query) {
        Pattern filter = query.filter() == null || query.filter().isEmpty() ? null : Pattern.compile(query.filter());
        int inFlight = 0;
        int stuck = 0;
        List<TaskSnapshot> matched = new ArrayList<>();
        Map<List<String>, List<TaskSnapshot>> groups = new LinkedHashMap<>();
        for (TaskSnapshot raw : tasks) {
            TaskSnapshot t = classify(raw, query.olderThanMs(), query.adaptive());
            if (inFlight(t)) {
                inFlight++;
            }
            if (t.stuck()) {
                stuck++;
                groups.computeIfAbsent(java.util.Arrays.asList(t.kind(), t.lastStep(), t.waitingOn()),
                        k -> new ArrayList<>()).add(t);
            }
            if (query.stuckOnly() && !t.stuck()) {
                continue;
            }
            if (!query.kinds().isEmpty() && !query.kinds().contains(t.kind())) {
                continue;
            }
            if (filter != null && !matches(filter, t)) {
                continue;
            }
            matched.add(t);
        }
        matched.sort(query.sort().order(query.descending()));
        List<TaskSnapshot> kept = matched.size() > query.limit() ? matched.subList(0, query.limit()) : matched;
        return new TaskReport(takenAtEpochMs, truncated ? Math.max(inFlight, inFlightTotal) : inFlight, stuck,
                matched.size(), groups(groups.values()), kept, refused, points);
    }

    /** Stuck tasks grouped as the target groups them: largest group first, then oldest. */
    public List<StuckGroup> groups(java.util.Collection<List<TaskSnapshot>> members) {
        List<StuckGroup> out = new ArrayList<>();
        for (List<TaskSnapshot> g : members) {
            TaskSnapshot first = g.get(0);
            long oldest = 0;
            int lost = 0;
            for (TaskSnapshot t : g) {
                oldest = Math.max(oldest, t.idleMs());
                if (t.warnings().contains(Warning.LOST_WAKEUP.wireName())) {
                    lost++;
                }
            }
            PointSummary p = first.waitingOn() == null ? null : point(first.waitingOn());
            out.add(new StuckGroup(first.kind(), first.lastStep(), first.waitingOn(), first.waitingAt(), g.size(),
                    oldest, lost, p == null ? null : p.p99Ms()));
        }
        out.sort(Comparator.comparingInt(StuckGroup::count).reversed()
                .thenComparing(Comparator.comparingLong(StuckGroup::oldestMs).reversed()));
        return out;
    }

    /** Groups of {@code stuckTasks} (already known to be stuck), as {@link #query} groups them. */
    public List<StuckGroup> groupsOf(List<TaskSnapshot> stuckTasks) {
        Map<List<String>, List<TaskSnapshot>> groups = new LinkedHashMap<>();
        for (TaskSnapshot t : stuckTasks) {
            groups.computeIfAbsent(java.util.Arrays.asList(t.kind(), t.lastStep(), t.waitingOn()),
                    k -> new ArrayList<>()).add(t);
        }
        return groups(groups.values());
    }

    /**
     * The loops as the target would have counted them, from the loops saved with the tasks (their
     * registered and refused counters and health). The target counts loops' stuck tasks with the
     * adaptive rule on.
     */
    public List<LoopSnapshot> loops(List<LoopSnapshot> saved, long thresholdMs) {
        List<LoopSnapshot> out = new ArrayList<>(saved.size());
        for (LoopSnapshot l : saved) {
            int count = 0;
            int inFlight = 0;
            int stuck = 0;
            for (TaskSnapshot t : tasks) {
                if (!l.name().equals(t.loop())) {
                    continue;
                }
                count++;
                if (inFlight(t)) {
                    inFlight++;
                }
                if (stuckRule(t, thresholdMs, true) != null) {
                    stuck++;
                }
            }
            if (truncated) {
                count = Math.max(count, l.tasks());
                inFlight = Math.max(inFlight, l.inFlight());
            }
            out.add(new LoopSnapshot(l.name(), count, inFlight, stuck, l.registered(), l.refused(), l.health(),
                    l.requests()));
        }
        return out;
    }

    /**
     * Task {@code id} with its parent, siblings (other tasks of the same parent) and children, at
     * most {@code maxRelatives} of each, as the target's task op answers; {@code null} if unknown.
     */
    public TaskFamily family(long id, long thresholdMs, int maxRelatives) {
        TaskSnapshot t = byId.get(id);
        if (t == null) {
            return null;
        }
        TaskSnapshot parent = t.parent() == null ? null : byId.get(t.parent());
        List<TaskSnapshot> siblings = new ArrayList<>();
        List<TaskSnapshot> children = new ArrayList<>();
        for (TaskSnapshot o : tasks) {
            if (o.id() == id) {
                continue;
            }
            if (t.parent() != null && t.parent().equals(o.parent()) && siblings.size() < maxRelatives) {
                siblings.add(classify(o, thresholdMs, false));
            }
            if (o.parent() != null && o.parent() == id && children.size() < maxRelatives) {
                children.add(classify(o, thresholdMs, false));
            }
        }
        Comparator<TaskSnapshot> byId = Comparator.comparingLong(TaskSnapshot::id);
        siblings.sort(byId);
        children.sort(byId);
        return new TaskFamily(classify(t, thresholdMs, false),
                parent == null ? null : classify(parent, thresholdMs, false), siblings, children);
    }

    private PointSummary point(String name) {
        for (PointSummary p : points) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    private static boolean matches(Pattern p, TaskSnapshot t) {
        return find(p, t.kind()) || find(p, t.remote()) || find(p, t.lastStep()) || find(p, t.waitingOn())
                || find(p, t.state()) || find(p, t.loop());
    }

    private static boolean find(Pattern p, String s) {
        return s != null && p.matcher(s).find();
    }
}
