package io.routerctl.probes;

import io.routerctl.probes.query.CompiledQuery;
import io.routerctl.probes.query.QueryBudget;
import io.routerctl.probes.query.ReportBuilder;
import io.routerctl.probes.query.StuckRule;
import io.routerctl.probes.query.TaskRow;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSummary;
import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskCensus;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.Warning;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The reader side of the registry: copies slots under their sequence locks into a reused
 * {@link TaskRow} and hands them to the rules of {@code io.routerctl.probes.query}, which decide
 * what is stuck the same way for saved snapshots. What only a live registry knows is added here,
 * at read time: the adaptive thresholds and percentiles from the wait histograms, and the
 * detectors' warnings (lost wake-up, blocked loop, slow).
 *
 * <p>Runs on the caller's thread (the attach server's), never on an event loop; allocates freely.
 */
final class QueryEngine {

    /** Attempts to copy one slot while its writer keeps changing it, before giving up on it. */
    private static final int MAX_READ_ATTEMPTS = 32;

    private QueryEngine() {
    }

    static TaskReport query(TaskRegistry registry, List<TaskShard> shards, CompiledQuery query, QueryBudget budget) {
        long now = registry.ticker().nanoTime();
        Rules rules = new Rules(registry, shards);
        ReportBuilder report = new ReportBuilder(query, budget);
        SlotCopy copy = new SlotCopy(rules);
        long refused = 0;
        for (TaskShard shard : shards) {
            refused += shard.refused();
            copy.shard(shard, now);
            walk(shard, copy, null, c -> {
                report.offer(c);
                return true;
            });
        }
        return report.build(System.currentTimeMillis(), refused, rules.pointSummaries(registry))
                .withGrowth(registry.growth());
    }

    static List<LoopSnapshot> loops(TaskRegistry registry, List<TaskShard> shards, long olderThanMs, boolean adaptive) {
        long now = registry.ticker().nanoTime();
        SlotCopy copy = new SlotCopy(new Rules(registry, shards));
        List<LoopSnapshot> out = new ArrayList<>(shards.size());
        for (TaskShard shard : shards) {
            int[] counts = new int[3]; // tasks, in flight, stuck
            copy.shard(shard, now);
            walk(shard, copy, null, c -> {
                counts[0]++;
                if (c.state().isInFlight()) {
                    counts[1]++;
                }
                if (StuckRule.of(c, olderThanMs, adaptive) != null) {
                    counts[2]++;
                }
                return true;
            });
            out.add(new LoopSnapshot(shard.name(), counts[0], counts[1], counts[2], shard.registered(), shard.refused(),
                    shard.health(), shard.requestsRegistered()));
        }
        return out;
    }

    /** Counts in flight per kind and stuck per (kind, point) without copying tasks out; see {@link TaskCensus}. */
    static TaskCensus census(TaskRegistry registry, List<TaskShard> shards, long olderThanMs, boolean adaptive) {
        int[] inFlight = new int[TaskKind.values().length];
        int[] orphans = new int[1];
        java.util.Map<String, java.util.Map<TaskKind, CensusPoint>> stuck = new java.util.HashMap<>();
        eachRow(registry, shards, copy -> {
            if (!copy.state().isInFlight()) {
                return true;
            }
            inFlight[copy.kind().ordinal()]++;
            if (copy.orphaned()) {
                orphans[0]++;
            }
            if (StuckRule.of(copy, olderThanMs, adaptive) == null) {
                return true;
            }
            String point = copy.waitingOn() == null ? TaskCensus.NOT_WAITING : copy.waitingOn();
            CensusPoint p = stuck.computeIfAbsent(point, k -> new java.util.EnumMap<>(TaskKind.class))
                    .computeIfAbsent(copy.kind(), k -> new CensusPoint());
            p.count++;
            if (copy.lostWakeup()) {
                p.lostWakeups++;
            }
            long idle = copy.idleMs();
            if (p.count == 1 || idle > p.oldestMs) {
                p.oldestMs = idle;
                p.oldestId = copy.id();
                p.oldestRemote = copy.remote();
                p.location = copy.waitingAt();
            }
            return true;
        });
        java.util.Map<TaskKind, Integer> byKind = new java.util.EnumMap<>(TaskKind.class);
        for (TaskKind k : TaskKind.values()) {
            byKind.put(k, inFlight[k.ordinal()]);
        }
        List<TaskCensus.Point> points = new ArrayList<>();
        stuck.forEach((point, kinds) -> kinds.forEach((kind, p) -> points.add(new TaskCensus.Point(kind, point,
                p.location, p.count, p.oldestMs, p.oldestId, p.oldestRemote, p.lostWakeups))));
        points.sort(java.util.Comparator.comparingInt(TaskCensus.Point::count).reversed()
                .thenComparing(java.util.Comparator.comparingLong(TaskCensus.Point::oldestMs).reversed()));
        return new TaskCensus(System.currentTimeMillis(), byKind, points, orphans[0]);
    }

    private static final class CensusPoint {
        int count;
        int lostWakeups;
        long oldestMs;
        long oldestId;
        String oldestRemote;
        String location;
    }

    /**
     * Calls {@code visitor} with a snapshot of every live task, classified at {@code olderThanMs}
     * with the adaptive rule, until it returns false.
     */
    static void scan(TaskRegistry registry, List<TaskShard> shards, long olderThanMs, Predicate<TaskSnapshot> visitor) {
        eachRow(registry, shards, copy -> visitor.test(copy.snapshot(StuckRule.of(copy, olderThanMs, true))));
    }

    /** {@link #walk}s every shard in turn with one {@link SlotCopy}, until {@code visitor} returns false. */
    private static void eachRow(TaskRegistry registry, List<TaskShard> shards, Predicate<SlotCopy> visitor) {
        long now = registry.ticker().nanoTime();
        SlotCopy copy = new SlotCopy(new Rules(registry, shards));
        for (TaskShard shard : shards) {
            copy.shard(shard, now);
            if (!walk(shard, copy, null, visitor)) {
                return;
            }
        }
    }

    /** A test of a row's raw fields before it is copied: a lookup copies only the rows that may match. */
    @FunctionalInterface
    private interface RowFilter {
        boolean mayMatch(long[] rows, int base);
    }

    /**
     * The one walk over a shard's slots, behind every reader: each row below its segment's
     * high-water mark that {@code filter} (null: every one) lets through is copied under its
     * sequence lock into {@code copy} (set to {@code shard} by the caller) and handed to
     * {@code visitor}, which must not keep it, until it returns false. Returns false if the
     * visitor stopped the walk. Allocation: the array of segments, once per call.
     */
    private static boolean walk(TaskShard shard, SlotCopy copy, RowFilter filter, Predicate<SlotCopy> visitor) {
        for (TaskSegment seg : shard.segmentsForRead()) {
            for (int r = 0, high = seg == null ? 0 : seg.highWaterForRead(); r < high; r++) {
                if ((filter == null || filter.mayMatch(seg.rows, r * TaskShard.STRIDE)) && copy.read(seg, r)
                        && !visitor.test(copy)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The live task with this id, classified at {@code olderThanMs} (with the adaptive rule when
     * {@code adaptive}), or null. Ids carry their shard's number, so only that shard is read, and
     * only the matching slot becomes a snapshot.
     */
    static TaskSnapshot byId(TaskRegistry registry, List<TaskShard> shards, long id, long olderThanMs, boolean adaptive) {
        TaskShard shard = shardOf(shards, id);
        if (shard == null) {
            return null;
        }
        SlotCopy copy = new SlotCopy(new Rules(registry, shards));
        copy.shard(shard, registry.ticker().nanoTime());
        TaskSnapshot[] found = new TaskSnapshot[1];
        walk(shard, copy, (rows, b) -> rows[b + TaskShard.ID] == id, c -> {
            if (c.id != id) {
                return true; // the slot changed hands while it was copied
            }
            found[0] = c.snapshot(StuckRule.of(c, olderThanMs, adaptive));
            return false;
        });
        return found[0];
    }

    /**
     * Up to {@code limit} live tasks whose parent is {@code parentId} (children live on their
     * parent's shard), classified as {@link #byId} classifies.
     */
    static List<TaskSnapshot> children(TaskRegistry registry, List<TaskShard> shards, long parentId, int limit,
                                       long olderThanMs, boolean adaptive) {
        List<TaskSnapshot> out = new ArrayList<>();
        TaskShard shard = shardOf(shards, parentId);
        if (shard == null || parentId == 0) {
            return out;
        }
        SlotCopy copy = new SlotCopy(new Rules(registry, shards));
        copy.shard(shard, registry.ticker().nanoTime());
        walk(shard, copy, (rows, b) -> rows[b + TaskShard.PARENT] == parentId, c -> {
            if (c.parent == parentId) {
                out.add(c.snapshot(StuckRule.of(c, olderThanMs, adaptive)));
            }
            return out.size() < limit;
        });
        out.sort(java.util.Comparator.comparingLong(TaskSnapshot::id));
        return out;
    }

    private static TaskShard shardOf(List<TaskShard> shards, long id) {
        int number = (int) (id & (TaskShard.MAX_SHARDS - 1));
        return id <= 0 || number >= shards.size() ? null : shards.get(number);
    }

    /** Snapshots of the tasks waiting on a tracked future (a completer is watched for them). */
    static List<TaskSnapshot> trackedWaits(TaskRegistry registry, List<TaskShard> shards) {
        List<TaskSnapshot> out = new ArrayList<>();
        eachRow(registry, shards, copy -> {
            if (copy.watch instanceof WaitWatch) {
                out.add(copy.snapshot(null));
            }
            return true;
        });
        return out;
    }

    /** The live task waiting on {@code watch}, or null: for the report of a lost wake-up just proven. */
    static TaskSnapshot waitingOn(TaskRegistry registry, List<TaskShard> shards, Object watch) {
        TaskSnapshot[] found = new TaskSnapshot[1];
        eachRow(registry, shards, copy -> {
            if (copy.watch == watch) {
                found[0] = copy.snapshot(null);
            }
            return found[0] == null;
        });
        return found[0];
    }

    /**
     * The completed waits on the await point named {@code point}, merged over every shard into
     * {@link io.routerctl.probes.snapshot.WaitHistogram}'s buckets; null if no such point.
     */
    static io.routerctl.probes.snapshot.WaitHistogram waitHistogram(List<TaskShard> shards, String point) {
        long[] merged = new long[LatencyHistogram.BUCKETS];
        boolean found = false;
        for (ProbePoint p : ProbePoint.all()) {
            if (p.name().equals(point) && p.kind() == ProbePoint.Kind.AWAIT) {
                found = true;
                for (TaskShard s : shards) {
                    s.addWaitCounts(p.id(), merged);
                }
            }
        }
        if (!found) {
            return null;
        }
        List<Double> bounds = io.routerctl.probes.snapshot.WaitHistogram.BOUNDS_MS;
        long[] buckets = new long[bounds.size() + 1];
        for (int i = 0; i < merged.length; i++) {
            if (merged[i] == 0) {
                continue;
            }
            double ms = LatencyHistogram.upperBound(i) / 1_000_000.0;
            int b = 0;
            while (b < bounds.size() && ms > bounds.get(b)) {
                b++;
            }
            buckets[b] += merged[i];
        }
        long total = LatencyHistogram.total(merged);
        List<Long> counts = new ArrayList<>(buckets.length);
        for (long c : buckets) {
            counts.add(c);
        }
        return new io.routerctl.probes.snapshot.WaitHistogram(point, total, bounds, counts,
                total == 0 ? null : millis(LatencyHistogram.percentile(merged, 50)),
                total == 0 ? null : millis(LatencyHistogram.percentile(merged, 99)));
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    /** Formats an address the way {@code ss -tn} shows it: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
    static String format(Object address) {
        if (address == null) {
            return null;
        }
        if (address instanceof InetSocketAddress inet) {
            String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
            int scope = host.indexOf('%');
            if (scope >= 0) {
                host = host.substring(0, scope);
            }
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        if (address instanceof SocketAddress) {
            return address.toString();
        }
        return String.valueOf(address);
    }

    private static String nameOf(int pointId) {
        ProbePoint p = ProbePoint.byId(pointId);
        return p == null ? null : p.name();
    }

    /**
     * What the wait histograms say, merged across shards once per read: each await point's p99 and
     * p50, and its adaptive threshold (the larger of a floor and a multiple of its p99, once the
     * point has enough history), in whole milliseconds rounded up as {@link StuckRule} compares it.
     */
    static final class Rules {
        /** Per point id: p99 in nanos, or -1 without enough history. */
        final long[] p99;
        final long[] p50;
        final long[] waits;
        /** Per point id: the adaptive stuck threshold in whole milliseconds, or -1. */
        final long[] stuckAfterMs;

        Rules(TaskRegistry registry, List<TaskShard> shards) {
            int n = 0;
            for (TaskShard s : shards) {
                n = Math.max(n, s.waitHistogramLength());
            }
            p99 = new long[n];
            p50 = new long[n];
            waits = new long[n];
            stuckAfterMs = new long[n];
            long[] merged = new long[LatencyHistogram.BUCKETS];
            long floor = registry.adaptiveFloorMs() * 1_000_000L;
            for (int point = 0; point < n; point++) {
                Arrays.fill(merged, 0);
                for (TaskShard s : shards) {
                    s.addWaitCounts(point, merged);
                }
                long total = LatencyHistogram.total(merged);
                waits[point] = total;
                boolean enough = total >= registry.adaptiveMinSamples();
                p99[point] = enough ? LatencyHistogram.percentile(merged, 99) : -1;
                p50[point] = enough ? LatencyHistogram.percentile(merged, 50) : -1;
                stuckAfterMs[point] = enough
                        ? StuckRule.thresholdMs(Math.max(floor, registry.adaptiveMultiple() * p99[point])) : -1;
            }
        }

        long p99Nanos(int point) {
            return point > 0 && point < p99.length ? p99[point] : -1;
        }

        Double p99Ms(int point) {
            long v = p99Nanos(point);
            return v < 0 ? null : Math.round(v / 1_000.0) / 1_000.0;
        }

        long stuckAfterMs(int point) {
            return point > 0 && point < stuckAfterMs.length ? stuckAfterMs[point] : -1;
        }

        List<PointSummary> pointSummaries(TaskRegistry registry) {
            List<PointSummary> out = new ArrayList<>();
            for (ProbePoint point : ProbePoint.all()) {
                if (point.kind() != ProbePoint.Kind.AWAIT) {
                    continue;
                }
                int id = point.id();
                long w = id < waits.length ? waits[id] : 0;
                ProbeStats.Counters c = registry.stats().peek(id);
                if (w == 0 && c == null) {
                    continue;
                }
                long p50n = id < p50.length ? p50[id] : -1;
                long after = stuckAfterMs(id);
                out.add(new PointSummary(point.name(), point.location(), w,
                        p50n < 0 ? null : Math.round(p50n / 1_000.0) / 1_000.0,
                        p99Ms(id),
                        after < 0 ? null : after,
                        c == null ? 0 : c.lostWakeups.sum(),
                        c == null ? 0 : c.doubleCompletions.sum(),
                        c == null ? 0 : c.lateCompletions.sum()));
            }
            return out;
        }
    }

    /**
     * One consistent copy of a slot, reused by a reader for every slot it reads, and the live
     * registry's {@link TaskRow}: strings (the remote address, the snapshot) are built only when
     * the rules ask for them.
     */
    static final class SlotCopy implements TaskRow {
        final Rules rules;
        private TaskShard shard;
        private long now;
        private boolean loopBlocked;
        long id;
        long parent;
        int kind;
        int state;
        Object remote;
        Object local;
        long start;
        int lastStep;
        long lastStepAt;
        int waitingOn;
        long waitingSince;
        long progressAt;
        int warnings;
        boolean beganEarlier;
        int stepCount;
        Object watch;
        Object label;
        final long[] steps = new long[TaskShard.STEPS_PER_TASK];
        private String remoteText;
        /** A thread's task ({@link ThreadWork}): parked now (state waiting), and where, asked once per copy. */
        private ThreadWork thread;
        private ThreadWork.Where where;
        private boolean whereAsked;

        SlotCopy(Rules rules) {
            this.rules = rules;
        }

        /** The shard the next slots come from, read at {@code now}. */
        void shard(TaskShard shard, long now) {
            this.shard = shard;
            this.now = now;
            this.loopBlocked = shard.isBlocked();
        }

        /**
         * Copies slot {@code r} of {@code seg}; false if it is free or could not be read consistently.
         *
         * <p>The sequence lock, case by case: (1) the first load sees an odd number: the owner is
         * mid-write, try again. (2) It sees an even number and the recheck after the loads sees the
         * same: no write overlapped the loads, the copy is consistent. (3) The recheck differs: a
         * write began (or completed) during the loads, the copy may be torn, try again.
         */
        boolean read(TaskSegment seg, int r) {
            long[] d = seg.rows;
            Object[] refs = seg.refs;
            int b = r * TaskShard.STRIDE;
            int rb = r * TaskShard.REFS;
            for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
                long s1 = TaskShard.seqAcquire(d, b);
                if ((s1 & 1) != 0) {
                    Thread.onSpinWait();
                    continue;
                }
                long flags = d[b + TaskShard.FLAGS];
                if ((flags & 0xFF) == 0) {
                    if (TaskShard.seqRecheck(d, b) == s1) {
                        return false;
                    }
                    continue;
                }
                id = d[b + TaskShard.ID];
                parent = d[b + TaskShard.PARENT];
                start = d[b + TaskShard.START];
                progressAt = d[b + TaskShard.PROGRESS];
                waitingSince = d[b + TaskShard.WAIT_SINCE];
                long points = d[b + TaskShard.POINTS];
                System.arraycopy(d, b + TaskShard.STEPS, steps, 0, TaskShard.STEPS_PER_TASK);
                remote = refs[rb + TaskShard.REMOTE];
                local = refs[rb + TaskShard.LOCAL];
                watch = refs[rb + TaskShard.WATCH];
                label = refs[rb + TaskShard.LABEL];
                if (TaskShard.seqRecheck(d, b) == s1) {
                    state = (int) (flags & 0xFF) - 1;
                    kind = (int) (flags >>> 8) & 0xFF;
                    warnings = (int) (flags >>> 16) & 0xFF;
                    beganEarlier = (flags & TaskShard.BEGAN_EARLIER) != 0;
                    lastStep = (int) points & 0xFFFF;
                    waitingOn = (int) (points >>> 16) & 0xFFFF;
                    stepCount = (int) (points >>> 32);
                    lastStepAt = stepCount == 0 ? 0
                            : start + (steps[(stepCount - 1) % TaskShard.STEPS_PER_TASK] & TaskShard.STEP_TIME_MASK);
                    remoteText = null;
                    thread = null;
                    if (watch instanceof ThreadWork w) {
                        askThread(w);
                    }
                    return true;
                }
            }
            return false;
        }

        /**
         * A thread's task is in flight while its thread lives: waiting while it is parked (since the
         * shard first saw it parked, or now), running otherwise (one state read). The row says neither.
         */
        private void askThread(ThreadWork w) {
            thread = w;
            where = null;
            whereAsked = false;
            Thread.State threadState = w.state();
            if (threadState == Thread.State.TERMINATED) {
                state = TaskState.DONE.ordinal();
                return;
            }
            long since = w.parkedSince;
            if (ThreadWork.isParked(threadState)) {
                state = TaskState.WAITING.ordinal();
                waitingSince = since != 0 ? since : now;
            } else {
                state = TaskState.RUNNING.ordinal();
            }
        }

        /** Where a thread's task waits, from its thread's stack (once per copy), or null. */
        private ThreadWork.Where where() {
            if (thread == null || state != TaskState.WAITING.ordinal()) {
                return null;
            }
            if (!whereAsked) {
                whereAsked = true;
                where = thread.where();
            }
            return where;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public long parentId() {
            return parent;
        }

        @Override
        public TaskKind kind() {
            return TaskKind.ofOrdinal(kind);
        }

        @Override
        public TaskState state() {
            return TaskState.ofOrdinal(state);
        }

        @Override
        public long ageMs() {
            return Math.max(0, now - start) / 1_000_000L;
        }

        @Override
        public long idleMs() {
            return Math.max(0, now - progressAt) / 1_000_000L;
        }

        @Override
        public String waitingOn() {
            ThreadWork.Where w = where();
            return w != null ? w.call() : nameOf(waitingOn);
        }

        @Override
        public long waitingMs() {
            boolean waits = waitingOn != 0 || (thread != null && state == TaskState.WAITING.ordinal());
            return waits ? Math.max(0, now - waitingSince) / 1_000_000L : -1;
        }

        @Override
        public long adaptiveStuckAfterMs() {
            return waitingOn == 0 ? -1 : rules.stuckAfterMs(waitingOn);
        }

        @Override
        public String lastStep() {
            return nameOf(lastStep);
        }

        @Override
        public String remote() {
            if (remoteText == null && remote != null) {
                remoteText = format(remote);
            }
            return remoteText;
        }

        @Override
        public String label() {
            return label instanceof String text ? text : null;
        }

        @Override
        public String loop() {
            return shard.name();
        }

        @Override
        public String waitingAt() {
            ThreadWork.Where w = where();
            if (w != null) {
                return w.at();
            }
            ProbePoint p = ProbePoint.byId(waitingOn);
            return p == null ? null : p.location();
        }

        @Override
        public Double waitP99Ms() {
            return rules.p99Ms(waitingOn);
        }

        @Override
        public boolean lostWakeup() {
            return (effectiveWarnings() & Warning.LOST_WAKEUP.bit()) != 0;
        }

        @Override
        public boolean orphaned() {
            return (warnings & Warning.ORPHANED.bit()) != 0;
        }

        /**
         * The task's warnings with what the detectors add at read time: a lost wake-up proven on
         * its tracked future, its loop blocked, its wait past the point's p99.
         */
        int effectiveWarnings() {
            int w = warnings;
            if (watch instanceof WaitWatch ww && ww.lost) {
                w |= Warning.LOST_WAKEUP.bit();
            }
            boolean inFlight = state == TaskState.RUNNING.ordinal() || state == TaskState.WAITING.ordinal();
            if (inFlight && loopBlocked) {
                w |= Warning.BLOCKED_LOOP.bit();
            }
            if (state == TaskState.WAITING.ordinal()) {
                long p99 = rules.p99Nanos(waitingOn);
                if (p99 >= 0 && now - waitingSince > p99) {
                    w |= Warning.SLOW.bit();
                }
            }
            return w;
        }

        @Override
        public TaskSnapshot snapshot(String stuckRule) {
            int kept = Math.min(stepCount, TaskShard.STEPS_PER_TASK);
            List<StepSnapshot> stepList = new ArrayList<>(kept);
            for (int k = stepCount - kept; k < stepCount; k++) {
                long e = steps[k % TaskShard.STEPS_PER_TASK];
                int point = (int) (e >>> TaskShard.STEP_TIME_BITS);
                long offset = e & TaskShard.STEP_TIME_MASK;
                stepList.add(new StepSnapshot(nameOf(point), Math.round(offset / 1_000.0) / 1_000.0));
            }
            ProbePoint waiting = ProbePoint.byId(waitingOn);
            ThreadWork.Where parked = where();
            String waitName = parked != null ? parked.call() : waiting == null ? null : waiting.name();
            return new TaskSnapshot(
                    id,
                    kind(),
                    parent == 0 ? null : parent,
                    remote(),
                    format(local),
                    shard.name(),
                    ageMs(),
                    state(),
                    nameOf(lastStep),
                    lastStep == 0 ? null : Math.max(0, now - lastStepAt) / 1_000_000L,
                    waitName,
                    waitName == null ? null : waitingMs(),
                    parked != null ? parked.at() : waiting == null ? null : waiting.location(),
                    stuckRule != null,
                    idleMs(),
                    stepList,
                    stepCount - kept,
                    Warning.namesOf(effectiveWarnings()),
                    stuckRule,
                    label(),
                    beganEarlier);
        }
    }
}
