package io.routerctl.probes;

import io.routerctl.probes.internal.FullGc;
import io.routerctl.probes.query.CompiledQuery;
import io.routerctl.probes.query.OverBudgetException;
import io.routerctl.probes.query.QueryBudget;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TaskCensus;
import io.routerctl.probes.snapshot.TaskGrowth;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The live registry of a process's in-flight work: every connection, request and pending future,
 * with the steps each passed and what each waits on.
 *
 * <h2>How data flows</h2>
 * Each event loop asks for its own {@link TaskShard} once, at start, and from then on writes only
 * there, without locks. Readers, typically the attach server answering {@code routerctl}, call
 * {@link #query(TaskQuery)}: it walks every shard, copies each task under its sequence lock,
 * evaluates the filter and the stuck rule inside the process, and returns at most
 * {@code limit} tasks plus counts and groups of all of them. The writers never wait for a reader.
 *
 * <pre>{@code
 * TaskRegistry registry = new TaskRegistry();           // honours routerctl.tracking.enabled
 * TaskShard shard = registry.newShard("loop-0");        // on, or for, event loop 0
 * ...
 * TaskReport stuck = registry.query(TaskQuery.stuck(5_000, 100)); // from any thread
 * }</pre>
 *
 * <h2>Stuck</h2>
 * A task is stuck when it is {@code running} or {@code waiting} and has made no progress (no step,
 * no completed wait) for at least the query's threshold, or, with the adaptive rule, waits far
 * longer than its probe point usually takes. Idle tasks, such as keep-alive connections between
 * requests, are never stuck. The rules are {@link io.routerctl.probes.query.StuckRule}'s, the same
 * for saved snapshots.
 *
 * <h2>Thread safety</h2>
 * {@link #newShard} and every read method are safe from any thread. A shard's own methods are for
 * its owning thread only.
 */
public final class TaskRegistry {

    /** {@code routerctl.tracking.enabled}: false turns every shard into a no-op. Default true. */
    public static final String ENABLED_PROPERTY = "routerctl.tracking.enabled";
    static final boolean ENABLED_DEFAULT = true;

    /**
     * {@code routerctl.lostwakeup.fail}: comma-separated probe point names whose lost wake-ups
     * complete the future exceptionally ({@link LostWakeupPolicy#FAIL}). Default: none.
     */
    public static final String FAIL_ON_LOST_WAKEUP_PROPERTY = "routerctl.lostwakeup.fail";
    static final String FAIL_ON_LOST_WAKEUP_DEFAULT = "";

    /** {@code routerctl.stuck.floorMs}: the adaptive rule never calls a wait stuck below this. Default 1000. */
    public static final String ADAPTIVE_FLOOR_PROPERTY = "routerctl.stuck.floorMs";
    static final long ADAPTIVE_FLOOR_DEFAULT = 1_000;

    /** {@code routerctl.stuck.multiple}: a wait is stuck past this multiple of its point's p99. Default 10. */
    public static final String ADAPTIVE_MULTIPLE_PROPERTY = "routerctl.stuck.multiple";
    static final long ADAPTIVE_MULTIPLE_DEFAULT = 10;

    /** {@code routerctl.stuck.minSamples}: waits a point needs before its percentiles count. Default 100. */
    public static final String ADAPTIVE_MIN_SAMPLES_PROPERTY = "routerctl.stuck.minSamples";
    static final long ADAPTIVE_MIN_SAMPLES_DEFAULT = 100;

    /** The wait for a JFR recorder, shared by the open enabled registries (see {@link #close()}). */
    private static Housekeeping.Job flightWatch;
    private static int openEnabled;
    private static final java.util.Set<TaskRegistry> ALL =
            java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

    private final Ticker ticker;
    private final boolean enabled;
    private final int maxTasksPerShard;
    private final List<TaskShard> shards = new CopyOnWriteArrayList<>();
    private final Housekeeping.Job growthJob;
    private boolean closed;
    private final GrowthWatch growth = new GrowthWatch(GrowthWatch.WINDOW_SAMPLES, GrowthWatch.PERIOD,
            GrowthWatch.MIN_RISE);
    private final Object shardLock = new Object();
    private final ProbeStats stats = new ProbeStats();
    private final LostWakeupDetector lostWakeups = new LostWakeupDetector(this);
    private final java.util.concurrent.ConcurrentHashMap<Integer, LostWakeupPolicy> policies =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> failOnLostWakeup;
    private final long adaptiveFloorMs = Long.getLong(ADAPTIVE_FLOOR_PROPERTY, ADAPTIVE_FLOOR_DEFAULT);
    private final long adaptiveMultiple = Long.getLong(ADAPTIVE_MULTIPLE_PROPERTY, ADAPTIVE_MULTIPLE_DEFAULT);
    private final long adaptiveMinSamples = Long.getLong(ADAPTIVE_MIN_SAMPLES_PROPERTY, ADAPTIVE_MIN_SAMPLES_DEFAULT);

    /** A registry on the system clock, enabled unless {@value #ENABLED_PROPERTY} is false. */
    public TaskRegistry() {
        this(Ticker.system(),
                Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, String.valueOf(ENABLED_DEFAULT))));
    }

    /** A registry on {@code ticker}, with tracking on or off. */
    public TaskRegistry(Ticker ticker, boolean enabled) {
        this(ticker, enabled, Integer.getInteger(TaskShard.MAX_CAPACITY_PROPERTY, TaskShard.MAX_CAPACITY_DEFAULT));
    }

    /** A registry on {@code ticker}, with tracking on or off and at most {@code maxTasksPerShard} live tasks per shard. */
    public TaskRegistry(Ticker ticker, boolean enabled, int maxTasksPerShard) {
        if (maxTasksPerShard < 1 || maxTasksPerShard > TaskShard.MAX_CAPACITY_LIMIT) {
            throw new IllegalArgumentException("maxTasksPerShard must be between 1 and "
                    + TaskShard.MAX_CAPACITY_LIMIT + ", got " + maxTasksPerShard);
        }
        this.ticker = ticker;
        this.enabled = enabled;
        this.maxTasksPerShard = maxTasksPerShard;
        this.failOnLostWakeup = java.util.Set.of(java.util.Arrays.stream(
                        System.getProperty(FAIL_ON_LOST_WAKEUP_PROPERTY, FAIL_ON_LOST_WAKEUP_DEFAULT).split(","))
                .map(String::trim).filter(n -> !n.isEmpty()).distinct().toArray(String[]::new));
        ALL.add(this);
        if (enabled) {
            growthJob = GrowthWatch.watch(this, growth);
            synchronized (TaskRegistry.class) {
                if (openEnabled++ == 0) {
                    // A recording may start at any time (jcmd JFR.start): look for one every second, a
                    // field read, and register the stuck summary with JFR only once one runs.
                    flightWatch = Housekeeping.until(java.time.Duration.ofSeconds(1),
                            () -> io.routerctl.probes.jfr.FlightEvents.registerIfRecording(TaskRegistry::censusesForFlight));
                }
            }
        } else {
            growthJob = null;
        }
    }

    /**
     * Ends what this registry runs besides its shards: its lost-wake-up detector thread, its growth
     * sampling and, with the last open registry of this class loader, the housekeeping thread and
     * routerctl's JFR registrations. For a detaching agent, which must leave no thread behind;
     * a service that embeds probes never needs it. Waits at most a second for the detector thread.
     * The shards stay writable (their writes go nowhere anyone reads). Idempotent; any thread.
     */
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        lostWakeups.stop(java.time.Duration.ofSeconds(1));
        if (growthJob != null) {
            growthJob.cancel();
            synchronized (TaskRegistry.class) {
                if (--openEnabled == 0) {
                    flightWatch.cancel();
                    flightWatch = null;
                    io.routerctl.probes.jfr.FlightEvents.close();
                }
            }
        }
        ALL.remove(this);
    }

    /** The registries alive in this JVM (for test-support checks); a copy. */
    public static List<TaskRegistry> all() {
        synchronized (ALL) {
            return List.copyOf(ALL);
        }
    }

    /** Sets what happens when a lost wake-up is proven at {@code point}. Any thread. */
    public void lostWakeupPolicy(ProbePoint point, LostWakeupPolicy policy) {
        policies.put(point.id(), policy);
    }

    /** The policy for {@code point}: as set, else FAIL if named in {@value #FAIL_ON_LOST_WAKEUP_PROPERTY}, else REPORT. */
    public LostWakeupPolicy lostWakeupPolicy(ProbePoint point) {
        LostWakeupPolicy p = policies.get(point.id());
        if (p != null) {
            return p;
        }
        return failOnLostWakeup.contains(point.name()) ? LostWakeupPolicy.FAIL : LostWakeupPolicy.REPORT;
    }

    /**
     * Forces the question "which pending futures can never complete?": runs a full GC (intrusive:
     * it pauses the whole process) and waits, at most {@code timeout}, until the collected
     * completers have been examined. Returns the lost wake-ups proven meanwhile.
     */
    public long collectLostWakeups(java.time.Duration timeout) {
        return lostWakeups.collect(timeout, FullGc::run);
    }

    /** {@link #collectLostWakeups(java.time.Duration)} with another way to run the collection (tests). */
    public long collectLostWakeups(java.time.Duration timeout, Runnable fullGc) {
        return lostWakeups.collect(timeout, fullGc);
    }

    /** The live tasks waiting on a tracked future ({@link Completer}), with their warnings. Any thread. */
    public List<TaskSnapshot> trackedWaits() {
        return QueryEngine.trackedWaits(this, shards);
    }

    /** Tasks live now in every shard, idle connections included (any thread). */
    public long liveTasks() {
        long n = 0;
        for (TaskShard s : shards) {
            n += s.live();
        }
        return n;
    }

    /**
     * Whether live tasks only grew over the last five minutes (see {@link GrowthWatch}): the
     * growth, or {@code null}.
     */
    public TaskGrowth growth() {
        return growth.growth();
    }

    /** Lost wake-ups proven since start. */
    public long lostWakeupsFound() {
        return lostWakeups.found();
    }

    ProbeStats stats() {
        return stats;
    }

    LostWakeupDetector lostWakeups() {
        lostWakeups.ensureStarted();
        return lostWakeups;
    }

    long adaptiveFloorMs() {
        return adaptiveFloorMs;
    }

    long adaptiveMultiple() {
        return adaptiveMultiple;
    }

    long adaptiveMinSamples() {
        return adaptiveMinSamples;
    }

    /** Whether tasks are tracked; when false, shards hand out {@link TaskShard#NO_TASK} only. */
    public boolean isEnabled() {
        return enabled;
    }

    /** The clock every shard reads. */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * A new shard for one owning thread, named as its loop should be shown (e.g. {@code loop-0}).
     *
     * @throws IllegalStateException past {@value TaskShard#MAX_SHARDS} shards
     */
    public TaskShard newShard(String name) {
        synchronized (shardLock) {
            int number = shards.size();
            if (number >= TaskShard.maxShards()) {
                throw new IllegalStateException("a registry holds at most " + TaskShard.maxShards() + " shards");
            }
            TaskShard shard = new TaskShard(this, name, number, enabled, maxTasksPerShard, ticker);
            shards.add(shard);
            return shard;
        }
    }

    /** The shards, in creation order. */
    public List<TaskShard> shards() {
        return List.copyOf(shards);
    }

    /**
     * Evaluates {@code query} against every shard, inside this process. Never blocks a writer;
     * cost is linear in the live tasks, allocation in the tasks returned.
     */
    public TaskReport query(TaskQuery query) {
        return QueryEngine.query(this, shards, CompiledQuery.of(query), QueryBudget.UNLIMITED);
    }

    /**
     * {@link #query(TaskQuery)} for a query compiled once (a subscription's), within {@code budget}.
     *
     * @throws OverBudgetException when the budget is spent before the answer is complete
     */
    public TaskReport query(CompiledQuery query, QueryBudget budget) {
        return QueryEngine.query(this, shards, query, budget);
    }

    /**
     * In-flight tasks per kind and stuck ones per kind and waited-on point, by the same rules as
     * {@link #query}, copying no task out: for metrics and periodic events. Any thread; linear in
     * the live tasks, allocation in the points.
     */
    public TaskCensus census(long olderThanMs, boolean adaptive) {
        return QueryEngine.census(this, shards, olderThanMs, adaptive);
    }

    /** Every enabled registry with shards, counted for JFR's periodic stuck summary. */
    private static List<TaskCensus> censusesForFlight() {
        List<TaskCensus> out = new ArrayList<>();
        for (TaskRegistry r : all()) {
            if (r.isEnabled() && !r.shards.isEmpty()) {
                out.add(r.census(TaskQuery.DEFAULT_OLDER_THAN_MS, true));
            }
        }
        return out;
    }

    /** Registrations refused since start because a shard was full, over every shard. Any thread. */
    public long refusedTotal() {
        long n = 0;
        for (TaskShard s : shards) {
            n += s.refused();
        }
        return n;
    }

    /** Blocked episodes the loop watchdog saw since start, over every watched loop. Any thread. */
    public long blockedEpisodes() {
        long n = 0;
        for (TaskShard s : shards) {
            io.routerctl.probes.snapshot.LoopHealth h = s.health();
            n += h == null ? 0 : h.episodes();
        }
        return n;
    }

    /** Watched loops blocked right now. Any thread. */
    public int blockedNow() {
        int n = 0;
        for (TaskShard s : shards) {
            io.routerctl.probes.snapshot.LoopHealth h = s.health();
            n += h != null && h.blocked() ? 1 : 0;
        }
        return n;
    }

    /** Per-shard counts, with tasks idle for {@code olderThanMs} counted as stuck. */
    public List<LoopSnapshot> loops(long olderThanMs) {
        return loops(olderThanMs, true);
    }

    /** Per-shard counts, with tasks stuck at {@code olderThanMs}, by the adaptive rule too when {@code adaptive}. */
    public List<LoopSnapshot> loops(long olderThanMs, boolean adaptive) {
        return QueryEngine.loops(this, shards, olderThanMs, adaptive);
    }

    /** The live task with this id, if any; {@code stuck} is judged against {@code olderThanMs}. */
    public Optional<TaskSnapshot> task(long id, long olderThanMs) {
        return Optional.ofNullable(QueryEngine.byId(this, shards(), id, olderThanMs, true));
    }

    /**
     * Up to {@code limit} live tasks whose parent has id {@code parentId}, by id; empty if none.
     * Reads only the parent's shard (a child is registered on its parent's shard).
     */
    public List<TaskSnapshot> children(long parentId, int limit, long olderThanMs) {
        return QueryEngine.children(this, shards(), parentId, limit, olderThanMs, true);
    }

    /**
     * The live task with this id and its relatives (parent, siblings, children: at most
     * {@code maxRelatives} of each, by id), every one classified at {@code olderThanMs} with the
     * adaptive rule; empty if there is no such task. Reads only the shards of the task and its
     * parent.
     */
    public Optional<io.routerctl.probes.snapshot.TaskFamily> family(long id, long olderThanMs, int maxRelatives) {
        return family(id, olderThanMs, true, maxRelatives);
    }

    /** {@link #family(long, long, int)}, classified with the adaptive rule only when {@code adaptive}. */
    public Optional<io.routerctl.probes.snapshot.TaskFamily> family(long id, long olderThanMs, boolean adaptive,
                                                                   int maxRelatives) {
        TaskSnapshot t = QueryEngine.byId(this, shards(), id, olderThanMs, adaptive);
        if (t == null) {
            return Optional.empty();
        }
        TaskSnapshot parent = null;
        List<TaskSnapshot> parentsChildren = List.of();
        if (t.parent() != null) {
            parent = QueryEngine.byId(this, shards(), t.parent(), olderThanMs, adaptive);
            parentsChildren = QueryEngine.children(this, shards(), t.parent(), maxRelatives + 1, olderThanMs, adaptive);
        }
        return Optional.of(io.routerctl.probes.query.Relatives.family(t, parent, parentsChildren,
                QueryEngine.children(this, shards(), id, maxRelatives, olderThanMs, adaptive), maxRelatives)
                .withWaitHistogram(t.waitingOn() == null ? null : QueryEngine.waitHistogram(shards(), t.waitingOn())));
    }

    /**
     * Up to {@code limit} live tasks matching {@code predicate}, in no particular order. For reads
     * that need a task's relatives (its parent, its siblings); not for the hot path.
     */
    public List<TaskSnapshot> find(Predicate<TaskSnapshot> predicate, int limit, long olderThanMs) {
        List<TaskSnapshot> out = new ArrayList<>();
        QueryEngine.scan(this, shards, olderThanMs, t -> {
            if (out.size() < limit && predicate.test(t)) {
                out.add(t);
            }
            return out.size() < limit;
        });
        return out;
    }
}
