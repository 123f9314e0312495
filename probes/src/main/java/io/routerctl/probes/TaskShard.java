package io.routerctl.probes;

import io.routerctl.probes.snapshot.LoopHealth;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskState;

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
 * long now = shard.beginEvent();      // one clock read for everything this event records
 * try {
 *     long conn = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, ch.remoteAddress(), ch.localAddress());
 *     long req = shard.register(TaskKind.REQUEST, conn, ch.remoteAddress(), ch.localAddress());
 *     shard.step(req, ROUTE_RESOLVED);
 *     shard.await(req, AUTH);            // state waiting, waiting on "auth" since now
 * } finally {
 *     shard.endEvent();
 * }
 * ...
 * shard.resume(req, AUTH_COMPLETED);     // outside an event: reads the clock itself
 * shard.finish(req, TaskState.DONE);     // leaves the registry
 * }</pre>
 *
 * <h2>Time</h2>
 * Every call stamps what it records with a time. Between {@link #beginEvent()} and
 * {@link #endEvent()} that is the time {@code beginEvent} read, once: the way Netty's and nginx's
 * loops cache the time of an iteration, so that a step costs a few stores, not a clock read
 * ({@code System.nanoTime()} alone costs more than the rest of a step). Precision: a step is
 * stamped with the start of the event that recorded it, so it may be early by as long as that
 * event has run so far (a few microseconds on a healthy loop; as long as a blocked loop blocks).
 * Outside an event every call reads the {@link Ticker} itself, so code that never opens an event
 * is never stale. The {@code nanos} overloads take the time from the caller.
 *
 * <h2>Thread safety</h2>
 * Every mutating method, and the event clock, must be used by the owning thread only; nothing
 * checks this (a check would cost more than the write). Readers ({@link TaskRegistry#query}) may
 * run on any thread at any time: they copy a slot under its sequence lock and retry if the writer
 * was mid-update, so they see a slightly stale task, never a torn one, and never make the writer
 * wait.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Writes: plain stores into the task's row, bracketed by two ordered stores of the row's
 *       sequence number (odd while writing). No lock, no CAS, no volatile write on the path.</li>
 *   <li>Allocation: {@code step}, {@code await}, {@code resume}, {@code idle}, {@code active},
 *       {@code warn}, {@code finish} and the event clock allocate nothing. {@code register}
 *       allocates nothing unless every segment is full: it then adds a segment of
 *       {@value #SEGMENT_SLOTS} slots (about 124 KiB; nothing is copied), up to
 *       {@link #MAX_CAPACITY_PROPERTY} slots, after which registration is refused and counted
 *       ({@link #refused()}), never blocked.</li>
 *   <li>Memory: {@value #BYTES_PER_SLOT} bytes per slot (a row of {@value #STRIDE} longs, four
 *       references, a free bit), allocated by segment. Tasks take the lowest free slot, so after a
 *       burst the top segments drain, and an empty top segment is given back once the live tasks
 *       would fit twice into the segments below it.</li>
 *   <li>Each task keeps its last {@value #STEPS_PER_TASK} steps; older ones are counted as dropped.</li>
 *   <li>Nothing between the two sequence stores can throw: arguments are dereferenced (a null
 *       probe point throws) before the row's write opens. A write abandoned half-way would leave the
 *       sequence number odd for good, after which every later write would flip its parity and
 *       readers would accept torn copies.</li>
 *   <li>Handles carry the low 32 bits of the task's serial number and the shard's number: a handle
 *       of a finished task, or of another shard, is ignored.</li>
 * </ul>
 */
public final class TaskShard {

    /** The handle of no task: every method ignores it. */
    public static final long NO_TASK = 0L;

    /**
     * {@code routerctl.registry.maxTasksPerShard}: the most live tasks one shard (one event loop)
     * holds; more registrations are refused and counted. Default 262,144 (2^18, about 32 MiB of
     * rows at most): far past what a loop serves at once, small enough that a task leak, the bug
     * class this tool hunts, is refused long before it eats the heap.
     */
    public static final String MAX_CAPACITY_PROPERTY = "routerctl.registry.maxTasksPerShard";
    static final int MAX_CAPACITY_DEFAULT = 1 << 18;

    /** Steps kept per task (a ring: the most recent ones). */
    public static final int STEPS_PER_TASK = 5;

    /** Row layout, in longs from the row's start. */
    static final int SEQ = 0;
    static final int ID = 1;
    static final int PARENT = 2;
    static final int START = 3;
    static final int PROGRESS = 4;
    static final int WAIT_SINCE = 5;
    /**
     * Bits 0-7: state ordinal + 1 (0 means the slot is free); 8-15: kind ordinal; 16-23: warnings;
     * 24: began before it was registered (its start is the registration, so its age is a lower bound).
     */
    static final int FLAGS = 6;
    /** Bits 0-15: last step's point id; 16-31: waited-on point id; 32-63: steps recorded. */
    static final int POINTS = 7;
    /** In {@link #FLAGS}: the task began before it was registered. */
    static final long BEGAN_EARLIER = 1L << 24;
    static final int STEPS = 8;
    static final int STRIDE = STEPS + STEPS_PER_TASK;
    /** References per slot: remote address, local address, completer watch, label. */
    static final int REMOTE = 0;
    static final int LOCAL = 1;
    static final int WATCH = 2;
    static final int LABEL = 3;
    static final int REFS = 4;

    /** Slots per segment. */
    public static final int SEGMENT_SLOTS = 1 << 10;
    static final int SEGMENT_BITS = 10;
    static final int SEGMENT_MASK = SEGMENT_SLOTS - 1;
    static final int BYTES_PER_SLOT = STRIDE * 8 + REFS * 4 + 1;

    /**
     * Handle layout: the low 32 bits of the task's serial in the high 32 bits, then the shard
     * number in 8 bits, then the slot index in {@value #SLOT_BITS} bits. Carrying the shard number
     * makes a handle passed to the wrong shard a no-op instead of a write into some other task's slot.
     */
    static final int SLOT_BITS = 24;
    static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    /** The most slots a shard can have: slot indexes must fit {@link #SLOT_BITS}. */
    public static final int MAX_CAPACITY_LIMIT = 1 << SLOT_BITS;
    /** Shard number bits in a task id: ids are {@code serial << SHARD_BITS | shardNumber}. */
    static final int SHARD_BITS = 8;
    static final int MAX_SHARDS = 1 << SHARD_BITS;
    /** Step ring entry: probe point id in the top 16 bits, nanoseconds since task start below. */
    static final int STEP_TIME_BITS = 48;
    static final long STEP_TIME_MASK = (1L << STEP_TIME_BITS) - 1;

    private static final VarHandle ROW = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle COUNTER;
    private static final VarHandle COUNTER_REFUSED;
    private static final VarHandle COUNTER_REQUESTS;
    private static final VarHandle COUNTER_LIVE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COUNTER = lookup.findVarHandle(TaskShard.class, "registered", long.class);
            COUNTER_REFUSED = lookup.findVarHandle(TaskShard.class, "refused", long.class);
            COUNTER_REQUESTS = lookup.findVarHandle(TaskShard.class, "requestsRegistered", long.class);
            COUNTER_LIVE = lookup.findVarHandle(TaskShard.class, "live", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
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

    /** The shard's memory: its segments of slots (see {@link TaskSegments}). */
    private final TaskSegments memory;
    /** Next serial for task ids (owner only). */
    private long serial;
    /** The event clock (owner only): the time of the current event, and how deeply events nest. */
    private long eventNanos;
    private int eventDepth;
    /** Where the current write goes, set by {@link #locate} (owner only). */
    private long[] rowData;
    private int rowBase;
    private Object[] rowRefs;
    private int refBase;
    /** Counters: written by the owner with opaque stores, read by anyone. */
    private long registered;
    private long requestsRegistered;
    private long refused;
    private long live;
    /** Wait latencies by probe point id (owner writes; readers see a stale-but-sane copy). */
    private volatile LatencyHistogram[] waitHistograms = new LatencyHistogram[0];
    /** A thread made but still not started this long after is not followed any more. */
    static final long NEVER_STARTED_NANOS = 5_000_000_000L;
    /** Threads handed work by this shard's requests, the first {@code threadCount} (owner only). */
    private ThreadWork[] threadWork = new ThreadWork[0];
    private int threadCount;
    private int sweepCursor;
    /** Loop health, written only by a {@link LoopWatchdog}'s thread, never by the owner. */
    private volatile LoopHealth health;
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
        this.memory = new TaskSegments(maxCapacity);
        this.ticker = ticker;
        this.shardTag = number << SLOT_BITS;
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

    // ---------------------------------------------------------------- the event clock

    /**
     * An event begins on the owning thread (a channel event, a continuation): reads the clock once
     * and stamps every call until the matching {@link #endEvent()} with that time. Events nest; the
     * outermost one's time holds. Call {@code endEvent} in a {@code finally}: an event left open
     * would freeze this shard's clock. Returns the event's time (0 when tracking is off: then nothing
     * is recorded, and nothing reads the clock).
     */
    public long beginEvent() {
        if (!enabled) {
            return 0;
        }
        if (eventDepth++ == 0) {
            eventNanos = ticker.nanoTime();
        }
        return eventNanos;
    }

    /** The event begun by the matching {@link #beginEvent()} ends. */
    public void endEvent() {
        if (eventDepth > 0) {
            eventDepth--;
        }
    }

    /** The time calls are stamped with now: the current event's, or the clock's outside one. */
    public long now() {
        return eventDepth > 0 ? eventNanos : ticker.nanoTime();
    }

    // ---------------------------------------------------------------- writes (owner only)

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
        return register(kind, parent, remote, local, now());
    }

    /** {@link #register} stamped with {@code nanos} (a time read from {@link #ticker()}). */
    public long register(TaskKind kind, long parent, SocketAddress remote, SocketAddress local, long nanos) {
        if (!enabled) {
            return NO_TASK;
        }
        // Everything that can throw happens before the row's write opens.
        long kindBits = (long) kind.ordinal() << 8;
        long parentId = parent == NO_TASK || !locate(parent) ? 0 : rowData[rowBase + ID];
        int slot = memory.allocate();
        if (slot < 0) {
            COUNTER_REFUSED.setOpaque(this, refused + 1);
            return NO_TASK;
        }
        if ((int) ++serial == 0) {
            serial++; // the low 32 bits go into the handle, which must never be NO_TASK
        }
        long id = (serial << SHARD_BITS) | number;
        TaskSegment seg = memory.get(slot >>> SEGMENT_BITS);
        long[] d = seg.rows;
        int b = (slot & SEGMENT_MASK) * STRIDE;
        int rb = (slot & SEGMENT_MASK) * REFS;
        long s = d[b + SEQ];
        ROW.setOpaque(d, b + SEQ, s + 1);
        VarHandle.storeStoreFence();
        d[b + ID] = id;
        d[b + PARENT] = parentId;
        d[b + START] = nanos;
        d[b + PROGRESS] = nanos;
        d[b + WAIT_SINCE] = 0;
        d[b + FLAGS] = (TaskState.RUNNING.ordinal() + 1) | kindBits;
        d[b + POINTS] = 0;
        Object[] r = seg.refs;
        r[rb + REMOTE] = remote;
        r[rb + LOCAL] = local;
        r[rb + WATCH] = null;
        r[rb + LABEL] = null;
        ROW.setRelease(d, b + SEQ, s + 2);
        COUNTER.setOpaque(this, registered + 1);
        if (kind == TaskKind.REQUEST) {
            COUNTER_REQUESTS.setOpaque(this, requestsRegistered + 1);
        }
        COUNTER_LIVE.setOpaque(this, live + 1);
        return ((serial & 0xFFFF_FFFFL) << 32) | ((shardTag | slot) & 0xFFFF_FFFFL);
    }

    /**
     * Registers {@code thread}, just made or started while {@code parent} (a request) was being handled, as
     * that request's child: a task of kind {@link TaskKind#THREAD} with the request's addresses
     * and the thread's name as its label, until the thread ends. What the thread does is asked of
     * the thread (see {@link ThreadWork}); {@link #sweepThreads} must run on this shard's owner now
     * and then (every second or so) while {@link #threads()} is not zero, to finish the tasks of
     * threads that ended and mark those that outlived their request. Each registration also looks
     * at two earlier threads, so that a busy shard finishes its ended threads' tasks without waiting
     * for the sweep.
     *
     * <p>Owner thread. Allocates the {@link ThreadWork} and, now and then, a larger list of them.
     *
     * @return the task's handle, or {@link #NO_TASK} when tracking is off, the parent is gone or
     *         the shard is full
     */
    public long registerThread(long parent, Thread thread) {
        if (!enabled || parent == NO_TASK || !locate(parent)) {
            return NO_TASK;
        }
        Object remote = rowRefs[refBase + REMOTE];
        Object local = rowRefs[refBase + LOCAL];
        long task = register(TaskKind.THREAD, parent, remote instanceof SocketAddress r ? r : null,
                local instanceof SocketAddress l ? l : null, now());
        if (task == NO_TASK || !locate(task)) {
            return NO_TASK;
        }
        ThreadWork work = new ThreadWork(thread, task, parent, rowData[rowBase + START]);
        long[] d = rowData;
        int b = rowBase;
        long s = d[b + SEQ];
        ROW.setOpaque(d, b + SEQ, s + 1);
        VarHandle.storeStoreFence();
        rowRefs[refBase + WATCH] = work;
        rowRefs[refBase + LABEL] = ThreadWork.label(thread);
        ROW.setRelease(d, b + SEQ, s + 2);
        sweepSome(2, now());
        if (threadCount == threadWork.length) {
            threadWork = Arrays.copyOf(threadWork, Math.max(8, threadCount * 2));
        }
        threadWork[threadCount++] = work;
        return task;
    }

    /** Threads registered with {@link #registerThread} whose tasks have not finished yet. Owner thread. */
    public int threads() {
        return threadCount;
    }

    /**
     * Looks at every registered thread: finishes the task of each that ended, marks each that
     * outlived its request ({@link io.routerctl.probes.snapshot.Warning#ORPHANED}), and notes
     * since when each is parked (to a sweep's precision: since its start if no sweep saw it run). Owner thread; allocates nothing.
     * Returns the threads left.
     */
    public int sweepThreads() {
        sweepSome(threadCount, now());
        return threadCount;
    }

    private void sweepSome(int count, long nanos) {
        for (int n = 0; n < count && threadCount > 0; n++) {
            if (sweepCursor >= threadCount) {
                sweepCursor = 0;
            }
            ThreadWork w = threadWork[sweepCursor];
            Thread.State state = w.thread.getState();
            if (state == Thread.State.TERMINATED
                    || (state == Thread.State.NEW && nanos - w.startedAt > NEVER_STARTED_NANOS)) {
                finish(w.task, TaskState.DONE);
                threadWork[sweepCursor] = threadWork[--threadCount];
                threadWork[threadCount] = null;
                continue; // the last one moved here: look at it next
            }
            if (ThreadWork.isParked(state)) {
                if (w.parkedSince == 0) {
                    // Parked since this sweep, or since its start if no sweep ever saw it run.
                    w.parkedSince = Math.max(1, w.seenRunning ? nanos : w.startedAt); // 0 means not parked
                }
            } else {
                w.seenRunning = true;
                w.parkedSince = 0;
            }
            if (w.orphanedAt == 0 && !isLive(w.parent)) {
                w.orphanedAt = nanos;
                warn(w.task, io.routerctl.probes.snapshot.Warning.ORPHANED.bit());
            }
            sweepCursor++;
        }
    }

    /** Records that the task passed {@code point}, now. */
    public void step(long task, ProbePoint point) {
        if (task == NO_TASK) {
            return;
        }
        step(task, point, now());
    }

    /** Records that the task passed {@code point} at {@code nanos} (a time read from {@link #ticker()}). */
    public void step(long task, ProbePoint point, long nanos) {
        int pointId = point.id();
        if (task == NO_TASK || !locate(task)) {
            return;
        }
        long[] d = rowData;
        int b = rowBase;
        long s = d[b + SEQ];
        ROW.setOpaque(d, b + SEQ, s + 1);
        VarHandle.storeStoreFence();
        appendStep(d, b, pointId, nanos);
        ROW.setRelease(d, b + SEQ, s + 2);
    }

    /**
     * The task starts waiting on {@code point}: state {@link TaskState#WAITING}, waiting since now.
     * Waiting is not progress; a wait that lasts past the threshold makes the task stuck.
     */
    public void await(long task, ProbePoint point) {
        if (task == NO_TASK) {
            return;
        }
        awaitTracked(task, point, null, now());
    }

    /** {@link #await} stamped with {@code nanos}. */
    public void await(long task, ProbePoint point, long nanos) {
        awaitTracked(task, point, null, nanos);
    }

    /**
     * The task starts waiting on {@code point} for {@code future}, a future the caller did not
     * create through a {@link Completer} (an application's {@code CompletableFuture}, a Netty
     * promise): if the future becomes unreachable while still incomplete, the wait is a proven lost
     * wake-up. Whoever sees the future complete calls {@link FutureWatch#completed()}. Returns the
     * watch, or {@code null} when tracking is off or the task is gone.
     *
     * <p>Allocates one {@link FutureWatch}. Call on the owning thread.
     */
    public FutureWatch awaitFuture(long task, ProbePoint point, Object future) {
        if (task == NO_TASK || !isLive(task)) {
            return null;
        }
        FutureWatch watch = new FutureWatch(future, registry.lostWakeups(), point);
        awaitTracked(task, point, watch, now());
        return watch;
    }

    /** {@link #await} with the watch of the tracked future's completer (see {@link Completer}). */
    void awaitTracked(long task, ProbePoint point, WaitWatch watch) {
        if (task == NO_TASK) {
            return;
        }
        awaitTracked(task, point, watch, now());
    }

    private void awaitTracked(long task, ProbePoint point, WaitWatch watch, long nanos) {
        long pointBits = (long) point.id() << 16;
        if (task == NO_TASK || !locate(task)) {
            return;
        }
        long[] d = rowData;
        int b = rowBase;
        long s = d[b + SEQ];
        ROW.setOpaque(d, b + SEQ, s + 1);
        VarHandle.storeStoreFence();
        d[b + FLAGS] = (d[b + FLAGS] & ~0xFFL) | (TaskState.WAITING.ordinal() + 1);
        d[b + POINTS] = (d[b + POINTS] & ~0xFFFF_0000L) | pointBits;
        d[b + WAIT_SINCE] = nanos;
        rowRefs[refBase + WATCH] = watch;
        ROW.setRelease(d, b + SEQ, s + 2);
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
        resume(task, step, now());
    }

    /** {@link #resume(long, ProbePoint)} stamped with {@code nanos}; {@code step} may be null. */
    public void resume(long task, ProbePoint step, long nanos) {
        int stepId = step == null ? 0 : step.id();
        if (task == NO_TASK || !locate(task)) {
            return;
        }
        long[] d = rowData;
        int b = rowBase;
        long points = d[b + POINTS];
        int waited = (int) (points >>> 16) & 0xFFFF;
        if (waited != 0) {
            histogram(waited).record(nanos - d[b + WAIT_SINCE]);
        }
        long s = d[b + SEQ];
        ROW.setOpaque(d, b + SEQ, s + 1);
        VarHandle.storeStoreFence();
        d[b + FLAGS] = (d[b + FLAGS] & ~0xFFL) | (TaskState.RUNNING.ordinal() + 1);
        d[b + POINTS] = points & ~0xFFFF_0000L;
        d[b + WAIT_SINCE] = 0;
        d[b + PROGRESS] = nanos;
        rowRefs[refBase + WATCH] = null;
        if (stepId != 0) {
            appendStep(d, b, stepId, nanos);
        }
        ROW.setRelease(d, b + SEQ, s + 2);
    }

    /** The task is idle by design (a keep-alive connection between requests): never stuck. */
    public void idle(long task) {
        if (task != NO_TASK) {
            setState(task, TaskState.IDLE, now());
        }
    }

    /** {@link #idle(long)} stamped with {@code nanos}. */
    public void idle(long task, long nanos) {
        setState(task, TaskState.IDLE, nanos);
    }

    /** The task is busy again after {@link #idle}: progress now. */
    public void active(long task) {
        if (task != NO_TASK) {
            setState(task, TaskState.RUNNING, now());
        }
    }

    /** {@link #active(long)} stamped with {@code nanos}. */
    public void active(long task, long nanos) {
        setState(task, TaskState.RUNNING, nanos);
    }

    private void setState(long task, TaskState state, long nanos) {
        if (task == NO_TASK || !locate(task)) {
            return;
        }
        long[] d = rowData;
        int b = rowBase;
        long s = d[b + SEQ];
        ROW.setOpaque(d, b + SEQ, s + 1);
        VarHandle.storeStoreFence();
        d[b + FLAGS] = (d[b + FLAGS] & ~0xFFL) | (state.ordinal() + 1);
        d[b + POINTS] = d[b + POINTS] & ~0xFFFF_0000L;
        d[b + WAIT_SINCE] = 0;
        d[b + PROGRESS] = nanos;
        rowRefs[refBase + WATCH] = null;
        ROW.setRelease(d, b + SEQ, s + 2);
    }

    /**
     * The task began before it was registered (a request a codec had read before routerctl came):
     * its start is its registration, so its age is a lower bound, shown as such ({@code ≥3.5s}).
     * Owner only.
     */
    public void beganEarlier(long task) {
        setFlags(task, BEGAN_EARLIER);
    }

    /**
     * Sets warning bits on the task (see {@link io.routerctl.probes.snapshot.Warning}); they stay
     * until the task finishes. Only the owner may call this; detectors on other threads hand their
     * findings to the owner.
     */
    public void warn(long task, int warningBits) {
        setFlags(task, (long) (warningBits & 0xFF) << 16);
    }

    /** Sets {@code bits} in the task's {@link #FLAGS}, under its row's sequence lock. Owner only. */
    private void setFlags(long task, long bits) {
        if (task == NO_TASK || !locate(task)) {
            return;
        }
        long[] d = rowData;
        int b = rowBase;
        long s = d[b + SEQ];
        ROW.setOpaque(d, b + SEQ, s + 1);
        VarHandle.storeStoreFence();
        d[b + FLAGS] |= bits;
        ROW.setRelease(d, b + SEQ, s + 2);
    }

    /**
     * What the task is, in a few words a reader shows beside it: for a request, its method and path
     * ({@code GET /api/items/42}, without the query string). Keeps a reference to {@code label}, which
     * should be a string the caller has anyway; {@code null} clears it. Allocates nothing.
     */
    public void label(long task, String label) {
        if (task == NO_TASK || !locate(task)) {
            return;
        }
        long[] d = rowData;
        int b = rowBase;
        long s = d[b + SEQ];
        ROW.setOpaque(d, b + SEQ, s + 1);
        VarHandle.storeStoreFence();
        rowRefs[refBase + LABEL] = label;
        ROW.setRelease(d, b + SEQ, s + 2);
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
        if (!locate(task)) {
            return;
        }
        long[] d = rowData;
        int b = rowBase;
        long s = d[b + SEQ];
        ROW.setOpaque(d, b + SEQ, s + 1);
        VarHandle.storeStoreFence();
        d[b + FLAGS] = 0;
        Object[] r = rowRefs;
        r[refBase + REMOTE] = null;
        r[refBase + LOCAL] = null;
        r[refBase + WATCH] = null;
        r[refBase + LABEL] = null;
        ROW.setRelease(d, b + SEQ, s + 2);
        COUNTER_LIVE.setOpaque(this, live - 1);
        memory.release((int) task & SLOT_MASK);
        memory.giveBackEmptyTop(live);
    }

    /** True while the task behind {@code task} waits (on a point it was told to wait on). Owner thread. */
    public boolean isWaiting(long task) {
        return task != NO_TASK && locate(task)
                && (rowData[rowBase + FLAGS] & 0xFFL) == TaskState.WAITING.ordinal() + 1;
    }

    /** True while the task behind {@code task} has not finished. */
    public boolean isLive(long task) {
        return task != NO_TASK && locate(task);
    }

    /** The id users see for the task behind {@code task}, or 0 if it has finished. */
    public long idOf(long task) {
        return task != NO_TASK && locate(task) ? rowData[rowBase + ID] : 0;
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

    /** Slots this shard holds memory for now, in use or not (any thread). */
    public int capacity() {
        int n = 0;
        for (TaskSegment s : segmentsForRead()) {
            if (s != null) {
                n += s.usable;
            }
        }
        return n;
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
    void health(LoopHealth health) {
        this.health = health;
        this.blocked = health != null && health.blocked();
    }

    /** What the loop's watchdog last reported, or null if the loop is not watched; any thread. */
    public LoopHealth health() {
        return health;
    }

    /** Whether the loop's watchdog considers the loop blocked now; any thread. */
    public boolean isBlocked() {
        return blocked;
    }

    /**
     * Points the write cursor at the live task behind {@code task} and returns true; false for a
     * handle of another shard, a finished task (its slot free, or reused by a newer task), a slot in
     * a segment given back, or garbage.
     */
    private boolean locate(long task) {
        int low = (int) task;
        if ((low & ~SLOT_MASK) != shardTag) {
            return false;
        }
        int slot = low & SLOT_MASK;
        TaskSegment seg = memory.get(slot >>> SEGMENT_BITS);
        if (seg == null) {
            return false;
        }
        long[] d = seg.rows;
        int r = slot & SEGMENT_MASK;
        int b = r * STRIDE;
        if ((d[b + FLAGS] & 0xFF) == 0 || (int) (d[b + ID] >>> SHARD_BITS) != (int) (task >>> 32)) {
            return false;
        }
        rowData = d;
        rowBase = b;
        rowRefs = seg.refs;
        refBase = r * REFS;
        return true;
    }

    private static void appendStep(long[] d, int b, int pointId, long nanos) {
        long points = d[b + POINTS];
        int n = (int) (points >>> 32);
        long offset = nanos - d[b + START];
        if (offset < 0) {
            offset = 0;
        } else if (offset > STEP_TIME_MASK) {
            offset = STEP_TIME_MASK;
        }
        d[b + STEPS + n % STEPS_PER_TASK] = ((long) pointId << STEP_TIME_BITS) | offset;
        d[b + POINTS] = ((long) (n + 1) << 32) | (points & 0xFFFF_0000L) | pointId;
        d[b + PROGRESS] = nanos;
    }

    // ---- reader side (any thread) ----

    /** The segments, some entries null, for readers (acquire). */
    TaskSegment[] segmentsForRead() {
        return memory.forRead();
    }

    /** Sequence number of row {@code b}, with acquire semantics (reader's first load). */
    static long seqAcquire(long[] rows, int b) {
        return (long) ROW.getAcquire(rows, b + SEQ);
    }

    /** Sequence number of row {@code b} after the reader's loads (a load-load fence first). */
    static long seqRecheck(long[] rows, int b) {
        VarHandle.loadLoadFence();
        return (long) ROW.getOpaque(rows, b + SEQ);
    }

    static int maxShards() {
        return MAX_SHARDS;
    }
}
