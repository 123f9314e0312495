package io.routerctl.probes;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Bridges to tracked futures that cannot be got wrong: the only safe way to hand-write an adapter
 * is not to. Each helper marks the task as waiting on a probe point, lets the producer complete a
 * {@link Completer}, and delivers the outcome on the task's owning thread after resuming the task.
 *
 * <pre>{@code
 * // a callback API: legacyAuth.authenticate(token, (ok, error) -> ...) called on the library's threads
 * CompletableFuture<Boolean> ok = TrackedCalls.call(shard, request, AUTH, AUTH_COMPLETED, eventLoop,
 *         completer -> legacyAuth.authenticate(token, (result, error) -> {
 *             if (error != null) completer.fail(error); else completer.complete(result);
 *         }));
 * ok.thenAccept(allowed -> forward(...));   // runs on eventLoop, the task already resumed
 *
 * // an existing CompletionStage (an HTTP client, a driver):
 * CompletableFuture<Row> row = TrackedCalls.track(shard, request, DB, DB_DONE, eventLoop, db.query(sql));
 * }</pre>
 *
 * <p>Why this is safe: the completer is handed to the producer and to nothing else, so if the
 * producer drops it without completing it, the registry proves the lost wake-up; the outcome is
 * always delivered on {@code owner}, so the task is resumed by its owning thread.
 *
 * <h2>Thread safety</h2>
 * Call on the task's owning thread. The producer may complete from any thread.
 */
public final class TrackedCalls {

    private TrackedCalls() {
    }

    /**
     * Starts a callback-style call. {@code start} receives the completer and must give it to the
     * producer (and keep no other reference); if {@code start} throws, the call fails with that.
     *
     * @param resumedStep recorded when the wait ends (e.g. {@code auth-completed}), or {@code null}
     * @param owner       runs the task's continuation: the task's owning event loop
     * @return a future completed on {@code owner}, after the task was resumed
     */
    public static <T> CompletableFuture<T> call(TaskShard shard, long task, ProbePoint point, ProbePoint resumedStep,
                                                Executor owner, Consumer<Completer<T>> start) {
        CompletableFuture<T> raw = startCall(shard, task, point, start);
        return deliver(raw, shard, task, resumedStep, owner);
    }

    /**
     * Waits, tracked, on an existing stage: the stage completes the completer. If whoever should
     * complete the stage drops it, the completer (held by the stage's dependents) goes with it and
     * the lost wake-up is proven.
     */
    public static <T> CompletableFuture<T> track(TaskShard shard, long task, ProbePoint point, ProbePoint resumedStep,
                                                 Executor owner, CompletionStage<T> source) {
        CompletableFuture<T> raw = startCall(shard, task, point, completer -> source.whenComplete((v, e) -> {
            if (e != null) {
                completer.fail(unwrap(e));
            } else {
                completer.complete(v);
            }
        }));
        return deliver(raw, shard, task, resumedStep, owner);
    }

    // A separate method so the completer is a local of a finished frame: nothing of the caller's
    // keeps it reachable once the producer lets go of it.
    private static <T> CompletableFuture<T> startCall(TaskShard shard, long task, ProbePoint point,
                                                      Consumer<Completer<T>> start) {
        Completer<T> completer = Completer.begin(shard, task, point);
        CompletableFuture<T> raw = completer.future();
        try {
            start.accept(completer);
        } catch (RuntimeException | Error e) {
            completer.fail(e);
        }
        return raw;
    }

    private static <T> CompletableFuture<T> deliver(CompletableFuture<T> raw, TaskShard shard, long task,
                                                    ProbePoint resumedStep, Executor owner) {
        CompletableFuture<T> result = new CompletableFuture<>();
        raw.whenCompleteAsync((value, error) -> {
            // The continuation is an event on the owner: one clock read for the resume and for what
            // the caller's dependents record when they run below.
            shard.beginEvent();
            try {
                shard.resume(task, resumedStep);
                if (error != null) {
                    result.completeExceptionally(unwrap(error));
                } else {
                    result.complete(value);
                }
            } finally {
                shard.endEvent();
            }
        }, owner);
        return result;
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
