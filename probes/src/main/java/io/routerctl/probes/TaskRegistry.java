package io.routerctl.probes;

import io.routerctl.probes.snapshot.LoopSnapshot;
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
 * no completed wait) for at least the query's threshold. Idle tasks, such as keep-alive
 * connections between requests, are never stuck.
 *
 * <h2>Thread safety</h2>
 * {@link #newShard} and every read method are safe from any thread. A shard's own methods are for
 * its owning thread only.
 */
public final class TaskRegistry {

    /** {@code routerctl.tracking.enabled}: false turns every shard into a no-op. Default true. */
    public static final String ENABLED_PROPERTY = "routerctl.tracking.enabled";
    static final boolean ENABLED_DEFAULT = true;

    private final Ticker ticker;
    private final boolean enabled;
    private final int maxTasksPerShard;
    private final List<TaskShard> shards = new CopyOnWriteArrayList<>();
    private final Object shardLock = new Object();

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
        return new QueryEngine(this, query).run(shards);
    }

    /** Per-shard counts, with tasks idle for {@code olderThanMs} counted as stuck. */
    public List<LoopSnapshot> loops(long olderThanMs) {
        return QueryEngine.loops(this, shards, olderThanMs);
    }

    /** The live task with this id, if any; {@code stuck} is judged against {@code olderThanMs}. */
    public Optional<TaskSnapshot> task(long id, long olderThanMs) {
        return Optional.ofNullable(QueryEngine.byId(this, shards(), id, olderThanMs));
    }

    /**
     * Up to {@code limit} live tasks whose parent has id {@code parentId}, by id; empty if none.
     * Reads only the parent's shard (a child is registered on its parent's shard).
     */
    public List<TaskSnapshot> children(long parentId, int limit, long olderThanMs) {
        return QueryEngine.children(this, shards(), parentId, limit, olderThanMs);
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
