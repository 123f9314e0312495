package io.routerctl.runtime;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import io.routerctl.probes.Completer;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.TrackedCalls;

import java.util.concurrent.CompletableFuture;

/**
 * Tracked waits on Netty futures and promises that someone else completes (another loop, a
 * blocking pool, a client library built on Netty): the Netty counterpart of {@link TrackedCalls}.
 *
 * <p>The request waits on a probe point from the call until the Netty future completes; the
 * outcome is delivered on the request's own event loop, after the task was resumed (with
 * {@code resumedStep} recorded), so the continuation may use the {@link RequestContext} directly:
 *
 * <pre>{@code
 * static final ProbePoint QUOTA = ProbePoint.await("quota");
 * static final ProbePoint QUOTA_CHECKED = ProbePoint.step("quota-checked");
 *
 * Future<Integer> remaining = quotaService.remaining(user);          // completed on its own threads
 * NettyTracked.await(ctx, QUOTA, QUOTA_CHECKED, remaining)
 *         .whenComplete((left, error) -> ctx.respond(...));          // runs on ctx.eventLoop()
 * }</pre>
 *
 * <p>Why the lost wake-up stays provable: the {@link Completer} is reachable only through the
 * listener added to {@code source}. If whoever should complete {@code source} drops it, the
 * listener and the completer go with it, and the registry reports the task with
 * {@code lost-wakeup} (after a GC). Keeping {@code source} yourself hides that proof: the future
 * then stays reachable, so the wait can only ever be reported as stuck.
 *
 * <p>The runtime's own {@link UpstreamClient} is not built on this: its exchange is driven by
 * the connection's handler on the same loop (no future in between), and it records its wait on
 * {@code upstream} directly.
 *
 * <h2>Thread safety</h2>
 * Call on the request's event loop (it marks the task as waiting); {@code source} may complete on
 * any thread.
 *
 * <h2>Allocation</h2>
 * Per call: the completer, its future and phantom reference (see {@link Completer}), one listener,
 * the returned future and the delivery task on the loop.
 */
public final class NettyTracked {

    private NettyTracked() {
    }

    /**
     * Waits, tracked, on {@code source} on behalf of {@code ctx}'s request.
     *
     * @param point       the await point, e.g. {@code ProbePoint.await("quota")}
     * @param resumedStep recorded when the wait ends, or {@code null}
     * @return a future completed on {@code ctx.eventLoop()} with {@code source}'s value or cause,
     *         never null
     */
    public static <T> CompletableFuture<T> await(RequestContext ctx, ProbePoint point, ProbePoint resumedStep,
                                                 Future<? extends T> source) {
        return await(ctx.shard(), ctx.handle(), ctx.eventLoop(), point, resumedStep, source);
    }

    /**
     * The same for a task of any shard, resumed on {@code owner} (the thread that owns
     * {@code shard}); call on {@code owner}.
     */
    public static <T> CompletableFuture<T> await(TaskShard shard, long task, EventExecutor owner, ProbePoint point,
                                                 ProbePoint resumedStep, Future<? extends T> source) {
        return TrackedCalls.call(shard, task, point, resumedStep, owner,
                completer -> source.addListener(new Bridge<T>(completer)));
    }

    /** The only holder of the completer: the listener on the Netty future. */
    private static final class Bridge<T> implements GenericFutureListener<Future<T>> {
        private final Completer<T> completer;

        Bridge(Completer<T> completer) {
            this.completer = completer;
        }

        @Override
        public void operationComplete(Future<T> future) {
            if (future.isSuccess()) {
                completer.complete(future.getNow());
            } else {
                completer.fail(future.cause());
            }
        }
    }
}
