package io.routerctl.probes;

import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The reader side of the registry: copies slots under their sequence locks and answers queries.
 * Runs on the caller's thread (the attach server's), never on an event loop; allocates freely.
 */
final class QueryEngine {

    /** Attempts to copy one slot while its writer keeps changing it, before giving up on it. */
    private static final int MAX_READ_ATTEMPTS = 32;

    private final TaskRegistry registry;
    private final TaskQuery query;
    private final Pattern filter;

    QueryEngine(TaskRegistry registry, TaskQuery query) {
        this.registry = registry;
        this.query = query;
        this.filter = query.filter() == null || query.filter().isEmpty() ? null : Pattern.compile(query.filter());
    }

    TaskReport run(List<TaskShard> shards) {
        long now = registry.ticker().nanoTime();
        Rules rules = new Rules(registry, shards, query.olderThanMs(), query.adaptive());
        Comparator<TaskSnapshot> order = query.sort().order(query.descending());
        // A max-heap on "order" keeps the best `limit` tasks: its head is the worst kept.
        PriorityQueue<TaskSnapshot> kept = new PriorityQueue<>(Math.min(query.limit(), 1024) + 1, order.reversed());
        Map<GroupKey, long[]> groups = new HashMap<>();
        int[] counts = new int[3]; // inFlight, stuck, matched
        SlotCopy copy = new SlotCopy(rules);
        long refused = 0;
        for (TaskShard shard : shards) {
            refused += shard.refused();
            TaskShard.Columns c = shard.columnsForRead();
            int high = Math.min(shard.highWaterForRead(), c.capacity);
            boolean blocked = shard.isBlocked();
            for (int i = 0; i < high; i++) {
                if (!copy.read(c, i)) {
                    continue;
                }
                copy.classify(now, blocked);
                boolean stuck = copy.stuckRule != null;
                if (copy.inFlight) {
                    counts[0]++;
                }
                if (stuck) {
                    counts[1]++;
                    long[] g = groups.computeIfAbsent(
                            new GroupKey(copy.kind, copy.lastStep, copy.waitingOn), k -> new long[3]);
                    g[0]++;
                    g[1] = Math.max(g[1], now - copy.progressAt);
                    if ((copy.effectiveWarnings & Warning.LOST_WAKEUP.bit()) != 0) {
                        g[2]++;
                    }
                }
                if (query.stuckOnly() && !stuck) {
                    continue;
                }
                if (!query.kinds().isEmpty()
                        && !query.kinds().contains(TaskKind.ofOrdinal(copy.kind).wireName())) {
                    continue;
                }
                // Most tasks of a big registry cannot make the top `limit`: judge them on the
                // slot's primitive sort key and skip building their snapshot (strings, lists).
                if (filter == null && kept.size() >= query.limit() && sortsAfter(copy, kept.peek(), now)) {
                    counts[2]++;
                    continue;
                }
                TaskSnapshot snapshot = null;
                if (filter != null) {
                    snapshot = copy.toSnapshot(shard, now);
                    if (!matches(filter, snapshot)) {
                        continue;
                    }
                }
                counts[2]++;
                if (snapshot == null) {
                    snapshot = copy.toSnapshot(shard, now);
                }
                kept.add(snapshot);
                if (kept.size() > query.limit()) {
                    kept.poll();
                }
            }
        }
        List<TaskSnapshot> tasks = new ArrayList<>(kept);
        tasks.sort(order);
        List<StuckGroup> stuckGroups = new ArrayList<>(groups.size());
        for (Map.Entry<GroupKey, long[]> e : groups.entrySet()) {
            GroupKey k = e.getKey();
            ProbePoint waiting = ProbePoint.byId(k.waitingOn);
            stuckGroups.add(new StuckGroup(
                    TaskKind.ofOrdinal(k.kind).wireName(),
                    nameOf(k.lastStep),
                    waiting == null ? null : waiting.name(),
                    waiting == null ? null : waiting.location(),
                    (int) e.getValue()[0],
                    e.getValue()[1] / 1_000_000L,
                    (int) e.getValue()[2],
                    rules.p99Ms(k.waitingOn)));
        }
        stuckGroups.sort(Comparator.comparingInt(StuckGroup::count).reversed()
                .thenComparing(Comparator.comparingLong(StuckGroup::oldestMs).reversed()));
        return new TaskReport(System.currentTimeMillis(), counts[0], counts[1], counts[2], stuckGroups, tasks, refused,
                rules.pointSummaries(registry));
    }

    static List<LoopSnapshot> loops(TaskRegistry registry, List<TaskShard> shards, long olderThanMs) {
        long now = registry.ticker().nanoTime();
        SlotCopy copy = new SlotCopy(new Rules(registry, shards, olderThanMs, true));
        List<LoopSnapshot> out = new ArrayList<>(shards.size());
        for (TaskShard shard : shards) {
            int tasks = 0;
            int inFlight = 0;
            int stuck = 0;
            TaskShard.Columns c = shard.columnsForRead();
            int high = Math.min(shard.highWaterForRead(), c.capacity);
            for (int i = 0; i < high; i++) {
                if (!copy.read(c, i)) {
                    continue;
                }
                copy.classify(now, false);
                tasks++;
                if (copy.inFlight) {
                    inFlight++;
                }
                if (copy.stuckRule != null) {
                    stuck++;
                }
            }
            out.add(new LoopSnapshot(shard.name(), tasks, inFlight, stuck, shard.registered(), shard.refused(),
                    shard.health(), shard.requestsRegistered()));
        }
        return out;
    }

    /** Calls {@code visitor} with a snapshot of every live task until it returns false. */
    static void scan(TaskRegistry registry, List<TaskShard> shards, long olderThanMs, Predicate<TaskSnapshot> visitor) {
        long now = registry.ticker().nanoTime();
        SlotCopy copy = new SlotCopy(new Rules(registry, shards, olderThanMs, true));
        for (TaskShard shard : shards) {
            TaskShard.Columns c = shard.columnsForRead();
            int high = Math.min(shard.highWaterForRead(), c.capacity);
            boolean blocked = shard.isBlocked();
            for (int i = 0; i < high; i++) {
                if (!copy.read(c, i)) {
                    continue;
                }
                copy.classify(now, blocked);
                if (!visitor.test(copy.toSnapshot(shard, now))) {
                    return;
                }
            }
        }
    }

    /**
     * The live task with this id, or null. Ids carry their shard's number, so only that shard is
     * read, and only the matching slot becomes a snapshot.
     */
    static TaskSnapshot byId(TaskRegistry registry, List<TaskShard> shards, long id, long olderThanMs) {
        TaskShard shard = shardOf(shards, id);
        if (shard == null) {
            return null;
        }
        long now = registry.ticker().nanoTime();
        SlotCopy copy = new SlotCopy(new Rules(registry, shards, olderThanMs, true));
        TaskShard.Columns c = shard.columnsForRead();
        int high = Math.min(shard.highWaterForRead(), c.capacity);
        for (int i = 0; i < high; i++) {
            if (c.id[i] == id && copy.read(c, i) && copy.id == id) {
                copy.classify(now, shard.isBlocked());
                return copy.toSnapshot(shard, now);
            }
        }
        return null;
    }

    /** Up to {@code limit} live tasks whose parent is {@code parentId} (children live on their parent's shard). */
    static List<TaskSnapshot> children(TaskRegistry registry, List<TaskShard> shards, long parentId, int limit,
                                       long olderThanMs) {
        List<TaskSnapshot> out = new ArrayList<>();
        TaskShard shard = shardOf(shards, parentId);
        if (shard == null || parentId == 0) {
            return out;
        }
        long now = registry.ticker().nanoTime();
        SlotCopy copy = new SlotCopy(new Rules(registry, shards, olderThanMs, true));
        TaskShard.Columns c = shard.columnsForRead();
        int high = Math.min(shard.highWaterForRead(), c.capacity);
        for (int i = 0; i < high && out.size() < limit; i++) {
            if (c.parent[i] == parentId && copy.read(c, i) && copy.parent == parentId) {
                copy.classify(now, shard.isBlocked());
                out.add(copy.toSnapshot(shard, now));
            }
        }
        out.sort(java.util.Comparator.comparingLong(TaskSnapshot::id));
        return out;
    }

    private static TaskShard shardOf(List<TaskShard> shards, long id) {
        int number = (int) (id & (TaskShard.MAX_SHARDS - 1));
        return id <= 0 || number >= shards.size() ? null : shards.get(number);
    }

    /** Snapshots of the tasks waiting on a tracked future (a completer is watched for them). */
    static List<TaskSnapshot> trackedWaits(TaskRegistry registry, List<TaskShard> shards) {
        long now = registry.ticker().nanoTime();
        SlotCopy copy = new SlotCopy(new Rules(registry, shards, Long.MAX_VALUE / 2_000_000L, false));
        List<TaskSnapshot> out = new ArrayList<>();
        for (TaskShard shard : shards) {
            TaskShard.Columns c = shard.columnsForRead();
            int high = Math.min(shard.highWaterForRead(), c.capacity);
            for (int i = 0; i < high; i++) {
                if (copy.read(c, i) && copy.watch != null) {
                    copy.classify(now, false);
                    out.add(copy.toSnapshot(shard, now));
                }
            }
        }
        return out;
    }

    private static boolean matches(Pattern filter, TaskSnapshot t) {
        return find(filter, t.kind()) || find(filter, t.remote()) || find(filter, t.lastStep())
                || find(filter, t.waitingOn()) || find(filter, t.state()) || find(filter, t.loop());
    }

    private static boolean find(Pattern p, String s) {
        return s != null && p.matcher(s).find();
    }

    /**
     * Whether the slot in {@code copy} sorts after {@code worst} in the query's order, judged on its
     * primitive sort key the way {@link TaskQuery.Sort#order} would judge its snapshot; false when the sort key
     * is not primitive (the caller then builds the snapshot and compares it).
     */
    private boolean sortsAfter(SlotCopy copy, TaskSnapshot worst, long now) {
        long mine;
        long theirs;
        switch (query.sort()) {
            case IDLE -> {
                mine = -(Math.max(0, now - copy.progressAt) / 1_000_000L);
                theirs = -worst.idleMs();
            }
            case AGE -> {
                mine = -(Math.max(0, now - copy.start) / 1_000_000L);
                theirs = -worst.ageMs();
            }
            case ID -> {
                mine = copy.id;
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
        return copy.id > worst.id();
    }

    private static String nameOf(int pointId) {
        ProbePoint p = ProbePoint.byId(pointId);
        return p == null ? null : p.name();
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

    private record GroupKey(int kind, int lastStep, int waitingOn) {
    }

    /**
     * The stuck rules of one query, with each await point's wait history merged across shards once,
     * up front: the older-than threshold, and the adaptive one (the larger of a floor and a multiple
     * of the point's p99, once the point has enough history).
     */
    static final class Rules {
        final long olderThanNanos;
        final boolean adaptive;
        /** Per point id: p99 in nanos, or -1 without enough history. */
        final long[] p99;
        final long[] p50;
        final long[] waits;
        /** Per point id: the adaptive stuck threshold in nanos, or -1. */
        final long[] stuckAfter;

        Rules(TaskRegistry registry, List<TaskShard> shards, long olderThanMs, boolean adaptive) {
            this.olderThanNanos = olderThanMs * 1_000_000L;
            this.adaptive = adaptive;
            int n = 0;
            for (TaskShard s : shards) {
                n = Math.max(n, s.waitHistogramLength());
            }
            p99 = new long[n];
            p50 = new long[n];
            waits = new long[n];
            stuckAfter = new long[n];
            long[] merged = new long[LatencyHistogram.BUCKETS];
            long floor = registry.adaptiveFloorMs() * 1_000_000L;
            for (int point = 0; point < n; point++) {
                java.util.Arrays.fill(merged, 0);
                for (TaskShard s : shards) {
                    s.addWaitCounts(point, merged);
                }
                long total = LatencyHistogram.total(merged);
                waits[point] = total;
                boolean enough = total >= registry.adaptiveMinSamples();
                p99[point] = enough ? LatencyHistogram.percentile(merged, 99) : -1;
                p50[point] = enough ? LatencyHistogram.percentile(merged, 50) : -1;
                stuckAfter[point] = enough ? Math.max(floor, registry.adaptiveMultiple() * p99[point]) : -1;
            }
        }

        long p99Nanos(int point) {
            return point > 0 && point < p99.length ? p99[point] : -1;
        }

        Double p99Ms(int point) {
            long v = p99Nanos(point);
            return v < 0 ? null : Math.round(v / 1_000.0) / 1_000.0;
        }

        long stuckAfterNanos(int point) {
            return adaptive && point > 0 && point < stuckAfter.length ? stuckAfter[point] : -1;
        }

        List<io.routerctl.probes.snapshot.PointSummary> pointSummaries(TaskRegistry registry) {
            List<io.routerctl.probes.snapshot.PointSummary> out = new ArrayList<>();
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
                long p99n = id < p99.length ? p99[id] : -1;
                long after = id < stuckAfter.length ? stuckAfter[id] : -1;
                out.add(new io.routerctl.probes.snapshot.PointSummary(point.name(), point.location(), w,
                        p50n < 0 ? null : Math.round(p50n / 1_000.0) / 1_000.0,
                        p99n < 0 ? null : Math.round(p99n / 1_000.0) / 1_000.0,
                        after < 0 ? null : after / 1_000_000L,
                        c == null ? 0 : c.lostWakeups.sum(),
                        c == null ? 0 : c.doubleCompletions.sum(),
                        c == null ? 0 : c.lateCompletions.sum()));
            }
            return out;
        }
    }

    /** One consistent copy of a slot, reused by a reader for every slot it reads. */
    static final class SlotCopy {
        final Rules rules;
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
        int stepCount;
        Object watch;
        final long[] steps = new long[TaskShard.STEPS_PER_TASK];
        // Derived by classify():
        boolean inFlight;
        String stuckRule;
        int effectiveWarnings;

        SlotCopy(Rules rules) {
            this.rules = rules;
        }

        /**
         * Applies the rules to the copied slot: in flight or not, stuck by which rule, and the
         * warnings the detectors add at read time (lost wake-up, blocked loop, slow).
         */
        void classify(long now, boolean loopBlocked) {
            inFlight = state == TaskState.RUNNING.ordinal() || state == TaskState.WAITING.ordinal();
            int w = warnings;
            if (watch instanceof CompleterWatch cw && cw.lost) {
                w |= Warning.LOST_WAKEUP.bit();
            }
            if (inFlight && loopBlocked) {
                w |= Warning.BLOCKED_LOOP.bit();
            }
            stuckRule = null;
            if (inFlight && now - progressAt >= rules.olderThanNanos) {
                stuckRule = "older-than";
            }
            if (state == TaskState.WAITING.ordinal()) {
                long waited = now - waitingSince;
                long after = rules.stuckAfterNanos(waitingOn);
                if (stuckRule == null && after >= 0 && waited >= after) {
                    stuckRule = "adaptive";
                }
                long p99 = rules.p99Nanos(waitingOn);
                if (p99 >= 0 && waited > p99) {
                    w |= Warning.SLOW.bit();
                }
            }
            effectiveWarnings = w;
        }

        /**
         * Copies slot {@code i}; false if it is free or could not be read consistently.
         *
         * <p>The sequence lock, case by case: (1) the first load sees an odd number: the owner is
         * mid-write, try again. (2) It sees an even number and the recheck after the loads sees the
         * same: no write overlapped the loads, the copy is consistent. (3) The recheck differs: a
         * write began (or completed) during the loads, the copy may be torn, try again.
         */
        boolean read(TaskShard.Columns c, int i) {
            for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
                long s1 = TaskShard.seqAcquire(c, i);
                if ((s1 & 1) != 0) {
                    Thread.onSpinWait();
                    continue;
                }
                int st = c.state[i];
                if (st == TaskShard.FREE) {
                    if (TaskShard.seqRecheck(c, i) == s1) {
                        return false;
                    }
                    continue;
                }
                state = st;
                id = c.id[i];
                parent = c.parent[i];
                kind = c.kind[i];
                remote = c.remote[i];
                local = c.local[i];
                start = c.start[i];
                lastStep = c.lastStep[i];
                lastStepAt = c.lastStepAt[i];
                waitingOn = c.waitingOn[i];
                waitingSince = c.waitingSince[i];
                progressAt = c.progressAt[i];
                warnings = c.warnings[i];
                stepCount = c.stepCount[i];
                watch = c.watch[i];
                System.arraycopy(c.steps, i * TaskShard.STEPS_PER_TASK, steps, 0, TaskShard.STEPS_PER_TASK);
                if (TaskShard.seqRecheck(c, i) == s1) {
                    return true;
                }
            }
            return false;
        }

        TaskSnapshot toSnapshot(TaskShard shard, long now) {
            boolean stuck = stuckRule != null;
            int kept = Math.min(stepCount, TaskShard.STEPS_PER_TASK);
            List<StepSnapshot> stepList = new ArrayList<>(kept);
            for (int k = stepCount - kept; k < stepCount; k++) {
                long e = steps[k & (TaskShard.STEPS_PER_TASK - 1)];
                int point = (int) (e >>> TaskShard.STEP_TIME_BITS);
                long offset = e & TaskShard.STEP_TIME_MASK;
                stepList.add(new StepSnapshot(nameOf(point), Math.round(offset / 1_000.0) / 1_000.0));
            }
            ProbePoint waiting = ProbePoint.byId(waitingOn);
            return new TaskSnapshot(
                    id,
                    TaskKind.ofOrdinal(kind).wireName(),
                    parent == 0 ? null : parent,
                    format(remote),
                    format(local),
                    shard.name(),
                    Math.max(0, now - start) / 1_000_000L,
                    TaskState.ofOrdinal(state).wireName(),
                    nameOf(lastStep),
                    lastStep == 0 ? null : Math.max(0, now - lastStepAt) / 1_000_000L,
                    waiting == null ? null : waiting.name(),
                    waiting == null ? null : Math.max(0, now - waitingSince) / 1_000_000L,
                    waiting == null ? null : waiting.location(),
                    stuck,
                    Math.max(0, now - progressAt) / 1_000_000L,
                    stepList,
                    stepCount - kept,
                    Warning.namesOf(effectiveWarnings),
                    stuckRule);
        }
    }
}
