package io.routerctl.probes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * The producer side of a tracked future: whoever will deliver the result (a callback library,
 * another thread) holds the completer; the waiting task holds only {@link #future()}.
 *
 * <p>The registry watches the completer weakly. If it becomes unreachable while the future is
 * still incomplete, nobody can ever complete the future: that is proof of a lost wake-up, and
 * the waiting task gets a {@code lost-wakeup} warning naming the probe point (see
 * {@link LostWakeupPolicy} to fail the future instead).
 *
 * <pre>{@code
 * static final ProbePoint AUTH = ProbePoint.await("auth");
 *
 * // on the task's owning thread:
 * Completer<Boolean> completer = Completer.begin(shard, request, AUTH);
 * CompletableFuture<Boolean> result = completer.future();
 * legacyAuth.authenticate(token, ok -> completer.complete(ok)); // the library now holds it
 * // keep `result`, never the completer: holding it would hide a lost wake-up
 * }</pre>
 *
 * <p>{@link TrackedCalls} wraps this pattern so application code cannot get it wrong.
 *
 * <h2>Thread safety</h2>
 * {@link #begin} must run on the thread that owns the shard (it marks the task as waiting).
 * {@link #complete} and {@link #fail} may be called from any thread, any number of times: the
 * first wins; later ones return false and are counted as double completions (or as late ones if
 * the waiter had already given up), never thrown into the producer's thread.
 *
 * <h2>Allocation</h2>
 * {@code begin} allocates the completer and its future, as the same code untracked would, and,
 * when tracking is on, one phantom reference: one small object more per tracked wait, none per
 * step. Completing clears that reference, so only a completer dropped without completing ever
 * reaches the reference queue: the detector thread wakes for lost wake-ups, not for every wait.
 */
public final class Completer<T> {

    private static final VarHandle COMPLETED;

    static {
        try {
            COMPLETED = MethodHandles.lookup().findVarHandle(Completer.class, "completed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CompletableFuture<T> future;
    private final ProbePoint point;
    private final ProbeStats stats;
    /** The registry's phantom reference to this completer, or null when untracked. */
    private CompleterWatch watch;
    @SuppressWarnings("unused") // written through COMPLETED
    private volatile boolean completed;

    private Completer(CompletableFuture<T> future, ProbePoint point, ProbeStats stats) {
        this.future = future;
        this.point = point;
        this.stats = stats;
    }

    /**
     * Starts a tracked wait: {@code task} now waits on {@code point}, and the returned completer
     * will complete its future. Call on the shard's owning thread. With tracking off (or
     * {@code task} being {@link TaskShard#NO_TASK}) the completer still works, untracked.
     */
    public static <T> Completer<T> begin(TaskShard shard, long task, ProbePoint point) {
        CompletableFuture<T> future = new CompletableFuture<>();
        TaskRegistry registry = shard.registry();
        Completer<T> completer = new Completer<>(future, point, registry.stats());
        if (task != TaskShard.NO_TASK && shard.isLive(task)) {
            CompleterWatch watch = new CompleterWatch(completer, registry.lostWakeups(), future, point);
            completer.watch = watch;
            shard.awaitTracked(task, point, watch);
        }
        return completer;
    }

    /** Creates an untracked completer (for code paths where no task is known). */
    public static <T> Completer<T> untracked(ProbePoint point) {
        return new Completer<>(new CompletableFuture<>(), point, null);
    }

    /** The future the waiter keeps. It never references the completer. */
    public CompletableFuture<T> future() {
        return future;
    }

    /** The probe point this wait belongs to. */
    public ProbePoint point() {
        return point;
    }

    /** Completes the future with {@code value}; false (and counted) if it was already complete. */
    public boolean complete(T value) {
        return settled(future.complete(value));
    }

    /** Completes the future with {@code error}; false (and counted) if it was already complete. */
    public boolean fail(Throwable error) {
        return settled(future.completeExceptionally(error));
    }

    private boolean settled(boolean won) {
        if (won) {
            COMPLETED.setVolatile(this, true);
            CompleterWatch w = watch;
            if (w != null) {
                // Completed: nothing left to prove. A cleared reference is never enqueued, so the
                // collector, the reference handler and the detector spend nothing on this wait.
                w.clear();
            }
            return true;
        }
        if (stats != null) {
            if ((boolean) COMPLETED.getVolatile(this)) {
                stats.doubleCompletion(point);
            } else {
                stats.lateCompletion(point);
            }
        }
        return false;
    }
}
