package io.routerctl.probes.query;

import io.routerctl.probes.snapshot.Warning;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSummary;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.snapshot.TaskState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-flight tasks of a target at one moment, questioned with the target's own rules: a saved
 * snapshot answers {@code dump-stuck}, {@code loops} and {@code task} as the target would have
 * answered at the instant it was taken. The rules are not here: each saved task is offered to the
 * same {@link ReportBuilder} and {@link StuckRule} the target uses, as a {@link TaskRow} whose
 * adaptive threshold and p99 come from the saved probe point summaries.
 *
 * <h2>Truncation</h2>
 * A target with more than {@link TaskQuery#MAX_LIMIT} live tasks gives only that many, those
 * longest without progress first: every stuck task is kept unless more than the cap are stuck.
 * {@link #truncated()} says so; counts that need every task then come from the target's own totals.
 *
 * <h2>Thread safety</h2>
 * Immutable; safe from any thread. No method returns {@code null} unless it says so.
 */
public final class SavedTasks {

    private final long takenAtEpochMs;
    private final List<TaskSnapshot> tasks;
    private final List<PointSummary> points;
    private final Map<String, PointSummary> pointsByName = new HashMap<>();
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
        for (PointSummary p : this.points) {
            pointsByName.putIfAbsent(p.name(), p);
        }
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

    /** {@code t} with its stuck flag and rule for this threshold, by {@link StuckRule}. */
    public TaskSnapshot classify(TaskSnapshot t, long thresholdMs, boolean adaptive) {
        return t.withStuckRule(StuckRule.of(new Row(t), thresholdMs, adaptive));
    }

    /** The answer the target would have given to {@code query} at {@link #takenAtEpochMs()}. */
    public TaskReport query(TaskQuery query) {
        ReportBuilder builder = new ReportBuilder(query);
        Row row = new Row(null);
        for (TaskSnapshot t : tasks) {
            row.task = t;
            builder.offer(row);
        }
        TaskReport r = builder.build(takenAtEpochMs, refused, points);
        if (truncated && inFlightTotal > r.inFlight()) {
            return new TaskReport(r.takenAtEpochMs(), inFlightTotal, r.stuck(), r.matched(), r.groups(), r.tasks(),
                    r.refused(), r.points());
        }
        return r;
    }

    /** Groups of {@code stuckTasks} (already known to be stuck), as a query groups them. */
    public List<StuckGroup> groupsOf(List<TaskSnapshot> stuckTasks) {
        ReportBuilder builder = new ReportBuilder(new TaskQuery(true, 0, null, List.of(), TaskQuery.Sort.ID, false, 1));
        Row row = new Row(null);
        for (TaskSnapshot t : stuckTasks) {
            row.task = t;
            builder.offer(row);
        }
        return builder.build(takenAtEpochMs, refused, points).groups();
    }

    /**
     * The loops as the target would have counted them, from the loops saved with the tasks (their
     * registered and refused counters and health). Loops count stuck tasks with the adaptive rule
     * on, as the target does.
     */
    public List<LoopSnapshot> loops(List<LoopSnapshot> saved, long thresholdMs) {
        return loops(saved, thresholdMs, true);
    }

    /** {@link #loops(List, long)}, counting tasks stuck by the adaptive rule only when {@code adaptive}. */
    public List<LoopSnapshot> loops(List<LoopSnapshot> saved, long thresholdMs, boolean adaptive) {
        List<LoopSnapshot> out = new ArrayList<>(saved.size());
        Row row = new Row(null);
        for (LoopSnapshot l : saved) {
            int count = 0;
            int inFlight = 0;
            int stuck = 0;
            for (TaskSnapshot t : tasks) {
                if (!l.name().equals(t.loop())) {
                    continue;
                }
                row.task = t;
                count++;
                if (t.inFlight()) {
                    inFlight++;
                }
                if (StuckRule.of(row, thresholdMs, adaptive) != null) {
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
     * Task {@code id} with its parent, siblings and children, as the target's task op answers
     * ({@link Relatives}); {@code null} if unknown.
     */
    public TaskFamily family(long id, long thresholdMs, int maxRelatives) {
        return family(id, thresholdMs, true, maxRelatives);
    }

    /** {@link #family(long, long, int)}, classified with the adaptive rule only when {@code adaptive}. */
    public TaskFamily family(long id, long thresholdMs, boolean adaptive, int maxRelatives) {
        TaskSnapshot t = byId.get(id);
        if (t == null) {
            return null;
        }
        TaskSnapshot parent = t.parent() == null ? null : byId.get(t.parent());
        List<TaskSnapshot> parentsChildren = new ArrayList<>();
        List<TaskSnapshot> children = new ArrayList<>();
        for (TaskSnapshot o : tasks) {
            if (t.parent() != null && t.parent().equals(o.parent())) {
                parentsChildren.add(classify(o, thresholdMs, adaptive));
            }
            if (o.parent() != null && o.parent() == id) {
                children.add(classify(o, thresholdMs, adaptive));
            }
        }
        return Relatives.family(classify(t, thresholdMs, adaptive),
                parent == null ? null : classify(parent, thresholdMs, adaptive), parentsChildren, children, maxRelatives);
    }

    /** A saved task as the rules see it. */
    private final class Row implements TaskRow {
        TaskSnapshot task;

        Row(TaskSnapshot task) {
            this.task = task;
        }

        private PointSummary point() {
            return task.waitingOn() == null ? null : pointsByName.get(task.waitingOn());
        }

        @Override
        public long id() {
            return task.id();
        }

        @Override
        public long parentId() {
            return task.parent() == null ? 0 : task.parent();
        }

        @Override
        public TaskKind kind() {
            return task.kind();
        }

        @Override
        public TaskState state() {
            return task.state();
        }

        @Override
        public long ageMs() {
            return task.ageMs();
        }

        @Override
        public long idleMs() {
            return task.idleMs();
        }

        @Override
        public String waitingOn() {
            return task.waitingOn();
        }

        @Override
        public long waitingMs() {
            return task.waitingMs() == null ? -1 : task.waitingMs();
        }

        @Override
        public long adaptiveStuckAfterMs() {
            PointSummary p = point();
            return p == null || p.stuckAfterMs() == null ? -1 : p.stuckAfterMs();
        }

        @Override
        public String lastStep() {
            return task.lastStep();
        }

        @Override
        public String remote() {
            return task.remote();
        }

        @Override
        public String label() {
            return task.label();
        }

        @Override
        public String loop() {
            return task.loop();
        }

        @Override
        public String waitingAt() {
            return task.waitingAt();
        }

        @Override
        public Double waitP99Ms() {
            PointSummary p = point();
            return p == null ? null : p.p99Ms();
        }

        @Override
        public boolean lostWakeup() {
            return task.warnings().contains(Warning.LOST_WAKEUP.wireName());
        }

        @Override
        public boolean orphaned() {
            return task.warnings().contains(Warning.ORPHANED.wireName());
        }

        @Override
        public TaskSnapshot snapshot(String stuckRule) {
            return task.withStuckRule(stuckRule);
        }
    }
}
