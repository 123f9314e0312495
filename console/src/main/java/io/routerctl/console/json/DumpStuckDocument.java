package io.routerctl.console.json;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.routerctl.console.render.DumpStuckText;
import io.routerctl.console.render.StuckText;
import io.routerctl.probes.attach.GcResult;
import io.routerctl.probes.snapshot.LoopHealth;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskGrowth;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.snapshot.TaskState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code routerctl dump-stuck --json} prints: schema {@value #SCHEMA}, documented in
 * {@code docs/dump-stuck-schema.md}.
 *
 * @param schema         always {@value #SCHEMA}
 * @param target         who was asked
 * @param takenAtEpochMs when the target took the report (its wall clock)
 * @param thresholdMs    the stuck threshold ({@code --older-than})
 * @param limit          the most tasks listed ({@code --limit})
 * @param gc             what {@code --gc} found, or {@code null} without it
 * @param tasks          the stuck tasks, longest without progress first
 * @param summary        counts over all stuck tasks, and their groups
 *
 * <h2>Thread safety</h2>
 * Immutable records; safe from any thread. Fields documented as nullable in the schema may be
 * {@code null}; lists never are.
 */
@JsonPropertyOrder({"schema", "target", "taken_at_epoch_ms", "threshold_ms", "limit", "gc", "tasks", "summary"})
public record DumpStuckDocument(String schema, Target target, long takenAtEpochMs, long thresholdMs, int limit,
                                Gc gc, List<TaskSnapshot> tasks, Summary summary) {

    /** The schema name and version of this document. */
    public static final String SCHEMA = "routerctl.dump-stuck/1";

    /**
     * The target asked.
     *
     * @param pid      its process id
     * @param name     the name it gave
     * @param socket   the attach socket used
     * @param uptimeMs its uptime at attach time
     */
    @JsonPropertyOrder({"pid", "name", "socket", "uptime_ms"})
    public record Target(long pid, String name, String socket, long uptimeMs) {
        public static Target of(TargetInfo info, Path socket) {
            return new Target(info.pid(), info.name(), socket.toString(), info.uptimeMs());
        }
    }

    /**
     * What the full GC asked for by {@code --gc} found.
     *
     * @param lostWakeupsFound lost wake-ups it proved
     * @param lostWakeupsTotal lost wake-ups proven since the target started
     * @param tookMs           how long the GC and the examination took
     * @param collected        whether the target's collectors counted a collection; null if it does not say
     * @param ageMs            0, or how long ago the collection reported ended (an earlier one, reused)
     * @param text             the line dump-stuck prints for it
     */
    @JsonPropertyOrder({"lost_wakeups_found", "lost_wakeups_total", "took_ms", "collected", "age_ms", "text"})
    public record Gc(long lostWakeupsFound, long lostWakeupsTotal, long tookMs, Boolean collected, long ageMs,
                     String text) {
        public static Gc of(GcResult r) {
            return r == null ? null : new Gc(r.lostWakeupsFound(), r.lostWakeupsTotal(), r.tookMs(), r.collected(),
                    r.ageMs(), DumpStuckText.gcLine(r));
        }
    }

    /**
     * A blocked event loop.
     *
     * @param loop         its name, e.g. {@code loop-1}
     * @param blockedForMs for how long it has been blocked
     * @param blockedIn    the frame it is blocked in, e.g. {@code ReportRenderer.render(ReportRenderer.java:40)}; nullable
     * @param stack        the loop thread's stack captured when the episode began, top first
     * @param stuck        stuck tasks listed on that loop
     * @param text         the line dump-stuck prints for it
     */
    @JsonPropertyOrder({"loop", "blocked_for_ms", "blocked_in", "stack", "stuck", "text"})
    public record BlockedLoop(String loop, long blockedForMs, String blockedIn, List<String> stack, int stuck,
                              String text) {
    }

    /**
     * Counts over every stuck task, not only those listed.
     *
     * @param inFlight  tasks in flight in the target
     * @param stuck     of those, stuck
     * @param shown     stuck tasks listed in {@code tasks}
     * @param truncated whether {@code limit} left some out
     * @param refused   registrations the target refused because its registry was full
     * @param groups    stuck tasks grouped by kind, last step and waiting-on; largest first
     * @param blockedLoops the target's event loops that are blocked now
     * @param growth    live tasks only grew for the last five minutes (a leak?), or {@code null}
     */
    @JsonPropertyOrder({"in_flight", "stuck", "shown", "truncated", "refused", "groups", "blocked_loops", "growth"})
    public record Summary(int inFlight, int stuck, int shown, boolean truncated, long refused, List<Group> groups,
                          List<BlockedLoop> blockedLoops, Growth growth) {
    }

    /**
     * Live tasks that only grew.
     *
     * @param fromTasks live tasks five minutes ago
     * @param toTasks   live tasks now
     * @param overMs    the window
     * @param text      the line dump-stuck prints for it
     */
    @JsonPropertyOrder({"from_tasks", "to_tasks", "over_ms", "text"})
    public record Growth(long fromTasks, long toTasks, long overMs, String text) {
        static Growth of(TaskGrowth g) {
            return g == null ? null : new Growth(g.fromTasks(), g.toTasks(), g.overMs(), StuckText.growth(g));
        }
    }

    /**
     * One group of stuck tasks.
     *
     * @param text the group as dump-stuck states it, e.g. "37 requests waiting on auth
     *             (RouterPoints.java:17) after route-resolved; 35 with lost-wakeup: the completer was
     *             dropped without completing; p99 of auth is 2.9ms, oldest wait 12.4s"
     */
    @JsonPropertyOrder({"kind", "last_step", "waiting_on", "waiting_at", "count", "oldest_ms", "lost_wakeups",
            "wait_p99_ms", "orphans", "text"})
    public record Group(TaskKind kind, String lastStep, String waitingOn, String waitingAt, int count, long oldestMs,
                        int lostWakeups, Double waitP99Ms, int orphans, String text) {
        public static Group of(StuckGroup g) {
            return new Group(g.kind(), g.lastStep(), g.waitingOn(), g.waitingAt(), g.count(), g.oldestMs(),
                    g.lostWakeups(), g.waitP99Ms(), g.orphans(), StuckText.sentence(g));
        }
    }

    /** The document for {@code report}, a stuck query's answer from {@code target} reached on {@code socket}. */
    public static DumpStuckDocument of(TargetInfo target, Path socket, long thresholdMs, int limit, TaskReport report) {
        return of(target, socket, thresholdMs, limit, report, List.of(), null);
    }

    /** The same, with the target's loops (for blocked ones) and what {@code --gc} found ({@code gc} may be null). */
    public static DumpStuckDocument of(TargetInfo target, Path socket, long thresholdMs, int limit, TaskReport report,
                                       List<LoopSnapshot> loops, GcResult gc) {
        List<TaskSnapshot> tasks = report.tasks();
        List<BlockedLoop> blocked = new ArrayList<>();
        for (LoopSnapshot loop : loops) {
            LoopHealth h = loop.health();
            if (h != null && h.blocked()) {
                List<TaskSnapshot> on = report.tasks().stream().filter(t -> loop.name().equals(t.loop())).toList();
                String kind = on.stream().allMatch(t -> t.kind() == TaskKind.REQUEST) ? "request" : "task";
                blocked.add(new BlockedLoop(loop.name(), h.blockedForMs(), StuckText.blockedIn(h.blockedStack()),
                        h.blockedStack(), on.size(), StuckText.blockedLoop(loop.name(), h, on.size(), kind)));
            }
        }
        Summary summary = new Summary(report.inFlight(), report.stuck(), tasks.size(),
                tasks.size() < report.matched(), report.refused(),
                report.groups().stream().map(Group::of).toList(), blocked, Growth.of(report.growth()));
        return new DumpStuckDocument(SCHEMA, Target.of(target, socket), report.takenAtEpochMs(), thresholdMs, limit,
                Gc.of(gc), tasks, summary);
    }
}
