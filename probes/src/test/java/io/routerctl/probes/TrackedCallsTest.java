package io.routerctl.probes;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrackedCallsTest {

    static final ProbePoint CALL = ProbePoint.await("test-call");
    static final ProbePoint CALL_DONE = ProbePoint.step("test-call-done");

    final TaskRegistry registry = new TaskRegistry(Ticker.system(), true);
    final ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-loop"));
    final ExecutorService library = Executors.newFixedThreadPool(2, r -> new Thread(r, "test-library"));

    @AfterEach
    void stop() {
        loop.shutdownNow();
        library.shutdownNow();
    }

    /** Runs {@code body} on the loop thread, as an event loop would, and waits for its future. */
    private <T> T onLoop(java.util.concurrent.Callable<CompletableFuture<T>> body) throws Exception {
        return loop.submit(body).get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
    }

    @Test
    void callbackResultArrivesOnTheOwnerAfterTheTaskResumed() throws Exception {
        TaskShard shard = registry.newShard("loop-0");
        long[] task = new long[1];
        String[] seen = new String[2];
        String result = onLoop(() -> {
            task[0] = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
            return TrackedCalls.<String>call(shard, task[0], CALL, CALL_DONE, loop,
                            c -> library.execute(() -> c.complete("granted")))
                    .thenApply(v -> {
                        seen[0] = Thread.currentThread().getName();
                        TaskSnapshot t = registry.task(shard.idOf(task[0]), 5_000).orElseThrow();
                        seen[1] = t.state() + "/" + t.lastStep();
                        return v;
                    });
        });
        assertThat(result).isEqualTo("granted");
        assertThat(seen[0]).isEqualTo("test-loop");
        assertThat(seen[1]).isEqualTo("running/test-call-done");
        loop.submit(() -> shard.finish(task[0], TaskState.DONE)).get();
    }

    @Test
    void aStarterThatThrowsFailsTheCallInsteadOfHanging() throws Exception {
        TaskShard shard = registry.newShard("loop-0");
        long[] task = new long[1];
        assertThatThrownBy(() -> onLoop(() -> {
            task[0] = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
            return TrackedCalls.<String>call(shard, task[0], CALL, CALL_DONE, loop, c -> {
                throw new IllegalStateException("library not initialised");
            });
        })).isInstanceOf(ExecutionException.class).hasMessageContaining("library not initialised");
        loop.submit(() -> shard.finish(task[0], TaskState.FAILED)).get();
        assertThat(registry.query(TaskQuery.all(0, 10)).tasks()).isEmpty();
    }

    @Test
    void trackingAnExistingStageDeliversItsValueOnTheOwner() throws Exception {
        TaskShard shard = registry.newShard("loop-0");
        long[] task = new long[1];
        CompletableFuture<Integer> source = new CompletableFuture<>();
        CompletableFuture<Integer> tracked = loop.submit(() -> {
            task[0] = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
            return TrackedCalls.track(shard, task[0], CALL, CALL_DONE, loop, source);
        }).get(10, TimeUnit.SECONDS);
        TaskSnapshot waiting = registry.query(TaskQuery.all(0, 10)).tasks().get(0);
        assertThat(waiting.waitingOn()).isEqualTo("test-call");
        library.execute(() -> source.complete(42));
        assertThat(tracked.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        loop.submit(() -> shard.finish(task[0], TaskState.DONE)).get();
    }
}
