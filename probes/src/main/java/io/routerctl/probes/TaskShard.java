package io.routerctl.probes;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.util.Arrays;

/**
 * The part of a {@link TaskRegistry} that one thread (an event loop) owns and alone writes.
 *
 * <p>Tasks are addressed by a {@code long} handle returned from {@link #register}; the handle is
 * stale-safe: once a task has finished, calls with its handle do nothing, even after its slot has
 * been reused. {@link #NO_TASK} is what a disabled or full shard hands out, and every method
 * accepts it and does nothing.
 *
 * <pre>{@code
 * long conn = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, ch.remoteAddress(), ch.localAddress());
 * long req = shard.register(TaskKind.REQUEST, conn, ch.remoteAddress(), ch.localAddress());
 * shard.step(req, ROUTE_RESOLVED);
 * shard.await(req, AUTH);            // state waiting, waiting on "auth" since now
 * shard.resume(req, AUTH_COMPLETED); // progress: waiting over, step recorded
 * shard.finish(req, TaskState.DONE); // leaves the registry
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * Every mutating method must be called by the owning thread only; nothing checks this (a check
 * would cost more than the write). Readers ({@link TaskRegistry#query}) may run on any thread at
 * any time: they copy a slot under its sequence lock and retry if the writer was mid-update, so
 * they see a slightly stale task, never a torn one, and never make the writer wait.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Writes: plain stores into the shard's columns, bracketed by two ordered stores of the slot's
 *       sequence number (odd while writing). No lock, no CAS, no volatile write on the path.</li>
 *   <li>Allocation: {@code step}, {@code await}, {@code resume}, {@code idle} and {@code finish}
 *       allocate nothing. {@code register} allocates nothing unless the shard must grow: it doubles
 *       its columns, up to {@link #MAX_CAPACITY_PROPERTY} slots, after which registration is
 *       refused and counted ({@link #refused()}), never blocked.</li>
 *   <li>Memory: the columns hold about {@value #BYTES_PER_SLOT_ESTIMATE} bytes per slot, plus the
 *       addresses the caller passes (referenced, not copied).</li>
 *   <li>Each task keeps its last {@value #STEPS_PER_TASK} steps; older ones are counted as dropped.</li>
 *   <li>Nothing between the two sequence stores can throw: arguments are dereferenced (a null
 *       probe point throws) before the slot's write opens. A write abandoned half-way would leave the
 *       sequence number odd for good, after which every later write would flip its parity and
 *       readers would accept torn copies.</li>
 *   <li>Handles carry the slot's generation and the shard's number: a handle of a finished task, or
 *       of another shard, is ignored.</li>
 * </ul>
 */
public final class TaskShard {

    /** The handle of no task: every method ignores it. */
    public static final long NO_TASK = 0L;

    /** {@code routerctl.registry.maxTasksPerShard}: the most live tasks one shard holds. */
    public static final String MAX_CAPACITY_PROPERTY = "routerctl.registry.maxTasksPerShard";
    static final int MAX_CAPACITY_DEFAULT = 1 << 21;

    /** Steps kept per task (a ring: the most recent ones). */
    public static final int STEPS_PER_TASK = 8;

    static final int BYTES_PER_SLOT_ESTIMATE = 8 + 4 + 8 + 8 + 1 + 1 + 4 + 4 + 8 + 4 + 8 + 4 + 8 + 4 + 4
            + 8 * STEPS_PER_TASK + 4;

    static final int INITIAL_CAPACITY = 256;
    /**
     * Handle layout: generation in the high 32 bits, then the shard number in 8 bits, then the slot
     * index in {@value #SLOT_BITS} bits. Carrying the shard number makes a handle passed to the wrong
     * shard a no-op instead of a write into some other task's slot.
     */
    static final int SLOT_BITS = 24;
    static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    /** The most slots a shard can have: slot indexes must fit {@link #SLOT_BITS}. */
    public static final int MAX_CAPACITY_LIMIT = 1 << SLOT_BITS;
    static final byte FREE = -1;
    /** Shard number bits in a task id: ids are {@code serial << SHARD_BITS | shardNumber}. */
    static final int SHARD_BITS = 8;
    static final int MAX_SHARDS = 1 << SHARD_BITS;
    /** Step ring entry: probe point id in the top 16 bits, nanoseconds since task start below. */
    static final int STEP_TIME_BITS = 48;
    static final long STEP_TIME_MASK = (1L << STEP_TIME_BITS) - 1;

    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle COLUMNS;
    private static final VarHandle HIGH_WATER;
    private static final VarHandle COUNTER;
    private static final VarHandle COUNTER_REFUSED;
    private static final VarHandle COUNTER_REQUESTS;
    private static final VarHandle COUNTER_LIVE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COLUMNS = lookup.findVarHandle(TaskShard.class, "columns", Columns.class);
            HIGH_WATER = lookup.findVarHandle(TaskShard.class, "highWater", int.class);
            COUNTER = lookup.findVarHandle(TaskShard.class, "registered", long.class);
            COUNTER_REFUSED = lookup.findVarHandle(TaskShard.class, "refused", long.class);
            COUNTER_REQUESTS = lookup.findVarHandle(TaskShard.class, "requestsRegistered", long.class);
            COUNTER_LIVE = lookup.findVarHandle(TaskShard.class, "live", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * All per-slot state, column by column. Replaced as a whole when the shard grows, so a reader
     * that loaded one {@code Columns} reads arrays of one size.
     */
    static final class Columns {
        final int capacity;
        /** Sequence lock per slot: odd while the owner writes the slot. */
        final long[] seq;
        /** Generation of the slot's current (or last) task; handles carry it. */
        final int[] gen;
        final long[] id;
        final long[] parent;
        final byte[] kind;
        /** {@link TaskState} ordinal, or {@link #FREE}. */
        final byte[] state;
        final Object[] remote;
        final Object[] local;
        final long[] start;
        /** Probe point id of the last step, 0 if none. */
        final int[] lastStep;
        final long[] lastStepAt;
        /** Probe point id waited on, 0 if not waiting. */
        final int[] waitingOn;
        final long[] waitingSince;
        /** Nanos of the last progress: start, a step, or the end of a wait. */
        final long[] progressAt;
        final int[] warnings;
        final int[] stepCount;
        final long[] steps;
        /** The {@link CompleterWatch} of the tracked future the task waits on, or null. */
        final Object[] watch;

        Columns(int capacity) {
            this.capacity = capacity;
            seq = new long[capacity];
            gen = new int[capacity];
            id = new long[capacity];
            parent = new long[capacity];
            kind = new byte[capacity];
            state = new byte[capacity];
            Arrays.fill(state, FREE);
            remote = new Object[capacity];
            local = new Object[capacity];
            start = new long[capacity];
            lastStep = new int[capacity];
            lastStepAt = new long[capacity];
            waitingOn = new int[capacity];
            waitingSince = new long[capacity];
            progressAt = new long[capacity];
            warnings = new int[capacity];
            stepCount = new int[capacity];
            steps = new long[capacity * STEPS_PER_TASK];
            watch = new Object[capacity];
        }

        Columns grow(int newCapacity) {
            Columns n = new Columns(newCapacity);
            int c = capacity;
            System.arraycopy(seq, 0, n.seq, 0, c);
            System.arraycopy(gen, 0, n.gen, 0, c);
            System.arraycopy(id, 0, n.id, 0, c);
            System.arraycopy(parent, 0, n.parent, 0, c);
            System.arraycopy(kind, 0, n.kind, 0, c);
            System.arraycopy(state, 0, n.state, 0, c);
            System.arraycopy(remote, 0, n.remote, 0, c);
            System.arraycopy(local, 0, n.local, 0, c);
            System.arraycopy(start, 0, n.start, 0, c);
            System.arraycopy(lastStep, 0, n.lastStep, 0, c);
            System.arraycopy(lastStepAt, 0, n.lastStepAt, 0, c);
            System.arraycopy(waitingOn, 0, n.waitingOn, 0, c);
            System.arraycopy(waitingSince, 0, n.waitingSince, 0, c);
            System.arraycopy(progressAt, 0, n.progressAt, 0, c);
            System.arraycopy(warnings, 0, n.warnings, 0, c);
            System.arraycopy(stepCount, 0, n.stepCount, 0, c);
            System.arraycopy(steps, 0, n.steps, 0, c * STEPS_PER_TASK);
            System.arraycopy(watch, 0, n.watch, 0, c);
            return n;
        }
    }

    private final TaskRegistry registry;
    private final String name;
    private final int number;
    private final boolean enabled;
    private final int maxCapacity;
    private final Ticker ticker;
    /** The handle bits that name this shard (owner and readers; immutable). */
    private final int shardTag;

    /** Published with a release store when grown; the owner reads it plainly. */
    private Columns columns;
    /** Slots below this index have been used at least once; published with a release store. */
    private int highWater;
    /** Free slot indexes below {@code highWater} (owner only). */
    private int[] free;
    private int freeTop;
    /** Next serial for task ids (owner only). */
    private long serial;
    /** Growth stops here: {@code maxCapacity}, or less once an allocation for growth failed (owner only). */
    private int growLimit;
    /** Counters: written by the owner with opaque stores, read by anyone. */
    private long registered;
    private long requestsRegistered;
    private long refused;
    private long live;
    /** Wait latencies by probe point id (owner writes; readers see a stale-but-sane copy). */
    private volatile LatencyHistogram[] waitHistograms = new LatencyHistogram[0];
    /** Loop health, written only by a {@link LoopWatchdog}'s thread, never by the owner. */
    private volatile io.routerctl.probes.snapshot.LoopHealth health;
    private volatile boolean blocked;

    TaskShard(TaskRegistry registry, String name, int number, boolean enabled, int maxCapacity, Ticker ticker) {
        this.registry = registry;
        this.name = name;
        this.number = number;
        this.enabled = enabled;
        if (maxCapacity < 1 || maxCapacity > MAX_CAPACITY_LIMIT) {
            throw new IllegalArgumentException(
                    "max tasks per shard must be between 1 and " + MAX_CAPACITY_LIMIT + ", got " + maxCapacity);
        }
        this.maxCapacity = maxCapacity;
        this.growLimit = maxCapacity;
        this.ticker = ticker;
        this.shardTag = number << SLOT_BITS;
        this.columns = new Columns(enabled ? Math.min(INITIAL_CAPACITY, maxCapacity) : 0);
        this.free = new int[columns.capacity];
    }

    /** The registry this shard belongs to. */
    public TaskRegistry registry() {
        return registry;
    }

    /** The shard's name, shown as the task's loop, e.g. {@code loop-0}. */
    public String name() {
        return name;
    }

    /** The shard's number in its registry, 0-based. */
    public int number() {
        return number;
    }

    /** False when tracking is switched off: every method is then a no-op. */
    public boolean isEnabled() {
        return enabled;
    }

    /** The registry's clock, for callers that want to read it once and pass it to several calls. */
    public Ticker ticker() {
        return ticker;
    }

    /**
     * Registers a new task in state {@link TaskState#RUNNING}, started now.
     *
     * @param kind   what the task stands for
     * @param parent the parent's handle (a request's connection), or {@link #NO_TASK}; the parent
     *               must belong to this shard
     * @param remote the peer's address (kept by reference, formatted only when read), or {@code null}
     * @param local  the local address, or {@code null}
     * @return the task's handle, or {@link #NO_TASK} if tracking is off or the shard is full
     */
    public long register(TaskKind kind, long parent, SocketAddress remote, SocketAddress local) {
        if (!enabled) {
            return NO_TASK;
        }
        // Everything that can throw happens before the slot's write opens (see writeMustNotThrow).
        byte kindOrdinal = (byte) kind.ordinal();
        Columns c = columns;
        long parentId = parent == NO_TASK ? 0 : idOf(c, parent);
        int i;
        if (freeTop > 0) {
            i = free[--freeTop];
        } else if (highWater < c.capacity) {
            i = highWater;
        } else if (c.capacity < growLimit && (c = grow(c)) != null) {
            i = highWater;
        } else {
            COUNTER_REFUSED.setOpaque(this, refused + 1);
            return NO_TASK;
        }
        long now = ticker.nanoTime();
        int g = c.gen[i] + 1;
        if (g == 0) {
            g = 1;
        }
        long s = c.seq[i];
        SEQ.setOpaque(c.seq, i, s + 1);
        VarHandle.storeStoreFence();
        c.gen[i] = g;
        c.id[i] = (++serial << SHARD_BITS) | number;
        c.parent[i] = parentId;
        c.kind[i] = kindOrdinal;
        c.state[i] = (byte) TaskState.RUNNING.ordinal();
        c.remote[i] = remote;
        c.local[i] = local;
        c.start[i] = now;
        c.lastStep[i] = 0;
        c.lastStepAt[i] = 0;
        c.waitingOn[i] = 0;
        c.waitingSince[i] = 0;
        c.progressAt[i] = now;
        c.warnings[i] = 0;
        c.stepCount[i] = 0;
        c.watch[i] = null;
        SEQ.setRelease(c.seq, i, s + 2);
        if (i == highWater) {
            HIGH_WATER.setRelease(this, i + 1);
        }
        COUNTER.setOpaque(this, registered + 1);
        if (kind == TaskKind.REQUEST) {
            COUNTER_REQUESTS.setOpaque(this, requestsRegistered + 1);
        }
        COUNTER_LIVE.setOpaque(this, live + 1);
        return ((long) g << 32) | ((shardTag | i) & 0xFFFF_FFFFL);
    }

    /** Records that the task passed {@code point}, now. */
    public void step(long task, ProbePoint point) {
        if (task == NO_TASK) {
            return;
        }
        step(task, point, ticker.nanoTime());
    }

    /** Records that the task passed {@code point} at {@code nanos} (a time read from {@link #ticker()}). */
    public void step(long task, ProbePoint point, long nanos) {
        int pointId = point.id();
        Columns c = columns;
        int i = slotOf(c, task);
        if (i < 0) {
            return;
        }
        long s = c.seq[i];
        SEQ.setOpaque(c.seq, i, s + 1);
        VarHandle.storeStoreFence();
        appendStep(c, i, pointId, nanos);
        SEQ.setRelease(c.seq, i, s + 2);
    }

    /**
     * The task starts waiting on {@code point}: state {@link TaskState#WAITING}, waiting since now.
     * Waiting is not progress; a wait that lasts past the threshold makes the task stuck.
     */
    public void await(long task, ProbePoint point) {
        awaitTracked(task, point, null);
    }

    /** {@link #await} with the watch of the tracked future's completer (see {@link Completer}). */
    void awaitTracked(long task, ProbePoint point, CompleterWatch watch) {
        if (task == NO_TASK) {
            return;
        }
        int pointId = point.id();
        Columns c = columns;
        int i = slotOf(c, task);
        if (i < 0) {
            return;
        }
        long now = ticker.nanoTime();
        long s = c.seq[i];
        SEQ.setOpaque(c.seq, i, s + 1);
        VarHandle.storeStoreFence();
        c.state[i] = (byte) TaskState.WAITING.ordinal();
        c.waitingOn[i] = pointId;
        c.waitingSince[i] = now;
        c.watch[i] = watch;
        SEQ.setRelease(c.seq, i, s + 2);
    }

    /** The wait is over (the future completed): state {@link TaskState#RUNNING}, progress now. */
    public void resume(long task) {
        resume(task, null);
    }

    /** The wait is over and the task passed {@code step} (e.g. {@code auth-completed}), now. */
    public void resume(long task, ProbePoint step) {
        if (task == NO_TASK) {
            return;
        }
        int stepId = step == null ? 0 : step.id();
        Columns c = columns;
        int i = slotOf(c, task);
        if (i < 0) {
            return;
        }
        long now = ticker.nanoTime();
        int waited = c.waitingOn[i];
        if (waited != 0) {
            histogram(waited).record(now - c.waitingSince[i]);
        }
        long s = c.seq[i];
        SEQ.setOpaque(c.seq, i, s + 1);
        VarHandle.storeStoreFence();
        c.state[i] = (byte) TaskState.RUNNING.ordinal();
        c.waitingOn[i] = 0;
        c.waitingSince[i] = 0;
        c.watch[i] = null;
        c.progressAt[i] = now;
        if (stepId != 0) {
            appendStep(c, i, stepId, now);
        }
        SEQ.setRelease(c.seq, i, s + 2);
    }

    /** The task is idle by design (a keep-alive connection between requests): never stuck. */
    public void idle(long task) {
        setState(task, TaskState.IDLE);
    }

    /** The task is busy again after {@link #idle}: progress now. */
    public void active(long task) {
        setState(task, TaskState.RUNNING);
    }

    private void setState(long task, TaskState state) {
        if (task == NO_TASK) {
            return;
        }
        Columns c = columns;
        int i = slotOf(c, task);
        if (i < 0) {
            return;
        }
        long now = ticker.nanoTime();
        long s = c.seq[i];
        SEQ.setOpaque(c.seq, i, s + 1);
        VarHandle.storeStoreFence();
        c.state[i] = (byte) state.ordinal();
        c.waitingOn[i] = 0;
        c.waitingSince[i] = 0;
        c.watch[i] = null;
        c.progressAt[i] = now;
        SEQ.setRelease(c.seq, i, s + 2);
    }

    /**
     * Sets warning bits on the task (see {@link Warning}); they stay until the task finishes.
     * Only the owner may call this; detectors on other threads hand their findings to the owner.
     */
    public void warn(long task, int warningBits) {
        if (task == NO_TASK) {
            return;
        }
        Columns c = columns;
        int i = slotOf(c, task);
        if (i < 0) {
            return;
        }
        long s = c.seq[i];
        SEQ.setOpaque(c.seq, i, s + 1);
        VarHandle.storeStoreFence();
        c.warnings[i] |= warningBits;
        SEQ.setRelease(c.seq, i, s + 2);
    }

    /**
     * The task ended in {@code end} (done, failed or abandoned) and leaves the registry: its slot is
     * freed for reuse and its handle goes stale. Finishing twice is harmless.
     */
    public void finish(long task, TaskState end) {
        if (task == NO_TASK) {
            return;
        }
        if (!end.isTerminal()) {
            throw new IllegalArgumentException("finish needs done, failed or abandoned, got " + end);
        }
        Columns c = columns;
        int i = slotOf(c, task);
        if (i < 0) {
            return;
        }
        long s = c.seq[i];
        SEQ.setOpaque(c.seq, i, s + 1);
        VarHandle.storeStoreFence();
        c.state[i] = FREE;
        c.remote[i] = null;
        c.local[i] = null;
        c.watch[i] = null;
        SEQ.setRelease(c.seq, i, s + 2);
        free[freeTop++] = i;
        COUNTER_LIVE.setOpaque(this, live - 1);
    }

    /** True while the task behind {@code task} has not finished. */
    public boolean isLive(long task) {
        return slotOf(columns, task) >= 0;
    }

    /** The id users see for the task behind {@code task}, or 0 if it has finished. */
    public long idOf(long task) {
        Columns c = columns;
        int i = slotOf(c, task);
        return i < 0 ? 0 : c.id[i];
    }

    private long idOf(Columns c, long task) {
        int i = slotOf(c, task);
        return i < 0 ? 0 : c.id[i];
    }

    /** Tasks registered since start (any thread; opaque read). */
    public long registered() {
        return (long) COUNTER.getOpaque(this);
    }

    /** Requests registered since start (any thread; opaque read). */
    public long requestsRegistered() {
        return (long) COUNTER_REQUESTS.getOpaque(this);
    }

    /** Registrations refused since start because the shard was full (any thread; opaque read). */
    public long refused() {
        return (long) COUNTER_REFUSED.getOpaque(this);
    }

    /** Tasks live now (any thread; opaque read). */
    public long live() {
        return (long) COUNTER_LIVE.getOpaque(this);
    }

    /** The wait histogram of a probe point, created on first use (owner thread only). */
    private LatencyHistogram histogram(int pointId) {
        LatencyHistogram[] h = waitHistograms;
        if (pointId >= h.length) {
            h = Arrays.copyOf(h, Math.max(pointId + 1, h.length * 2));
            waitHistograms = h;
        }
        LatencyHistogram hist = h[pointId];
        if (hist == null) {
            hist = new LatencyHistogram();
            h[pointId] = hist;
        }
        return hist;
    }

    /** Adds the shard's wait counts for {@code pointId} into {@code into}; any thread. */
    void addWaitCounts(int pointId, long[] into) {
        LatencyHistogram[] h = waitHistograms;
        if (pointId < h.length && h[pointId] != null) {
            h[pointId].addTo(into);
        }
    }

    /** Probe point ids this shard has wait history for; any thread. */
    int waitHistogramLength() {
        return waitHistograms.length;
    }

    /** Set by a {@link LoopWatchdog}: the loop's health and whether it is blocked now. */
    void health(io.routerctl.probes.snapshot.LoopHealth health) {
        this.health = health;
        this.blocked = health != null && health.blocked();
    }

    /** What the loop's watchdog last reported, or null if the loop is not watched; any thread. */
    public io.routerctl.probes.snapshot.LoopHealth health() {
        return health;
    }

    /** Whether the loop's watchdog considers the loop blocked now; any thread. */
    public boolean isBlocked() {
        return blocked;
    }

    /**
     * The slot of a live task's handle, or -1 for {@link #NO_TASK}, a handle of another shard, a
     * finished task (its slot is free, or reused under a newer generation) or garbage.
     */
    private int slotOf(Columns c, long task) {
        int low = (int) task;
        int i = low & SLOT_MASK;
        if (task == NO_TASK || (low & ~SLOT_MASK) != shardTag || i >= c.capacity
                || c.gen[i] != (int) (task >>> 32) || c.state[i] == FREE) {
            return -1;
        }
        return i;
    }

    private static void appendStep(Columns c, int i, int pointId, long nanos) {
        int n = c.stepCount[i];
        long offset = nanos - c.start[i];
        if (offset < 0) {
            offset = 0;
        } else if (offset > STEP_TIME_MASK) {
            offset = STEP_TIME_MASK;
        }
        c.steps[i * STEPS_PER_TASK + (n & (STEPS_PER_TASK - 1))] = ((long) pointId << STEP_TIME_BITS) | offset;
        c.stepCount[i] = n + 1;
        c.lastStep[i] = pointId;
        c.lastStepAt[i] = nanos;
        c.progressAt[i] = nanos;
    }

    /**
     * Doubles the columns (up to the limit) and publishes them; null if the memory for them could
     * not be had, in which case the shard stops growing and further overflow is refused and counted:
     * an event loop must not die of a registry that wanted hundreds of megabytes at once.
     */
    private Columns grow(Columns c) {
        int capacity = (int) Math.min((long) c.capacity * 2, growLimit);
        if (capacity == 0) {
            capacity = Math.min(INITIAL_CAPACITY, growLimit);
        }
        Columns n;
        int[] nextFree;
        try {
            n = c.grow(capacity);
            nextFree = Arrays.copyOf(free, capacity);
        } catch (OutOfMemoryError e) {
            growLimit = c.capacity;
            return null;
        }
        free = nextFree;
        COLUMNS.setRelease(this, n);
        return n;
    }

    // ---- reader side (any thread) ----

    /** The current columns, for readers (acquire). */
    Columns columnsForRead() {
        return (Columns) COLUMNS.getAcquire(this);
    }

    /** Slots that may hold tasks, for readers (acquire). */
    int highWaterForRead() {
        return (int) HIGH_WATER.getAcquire(this);
    }

    /** Sequence number of slot {@code i}, with acquire semantics (reader's first load). */
    static long seqAcquire(Columns c, int i) {
        return (long) SEQ.getAcquire(c.seq, i);
    }

    /** Sequence number of slot {@code i} after the reader's loads (a load-load fence first). */
    static long seqRecheck(Columns c, int i) {
        VarHandle.loadLoadFence();
        return (long) SEQ.getOpaque(c.seq, i);
    }

    static int maxShards() {
        return MAX_SHARDS;
    }
}
