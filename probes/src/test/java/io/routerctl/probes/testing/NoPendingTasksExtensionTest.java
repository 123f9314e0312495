package io.routerctl.probes.testing;

import io.routerctl.probes.Completer;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.Ticker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

@AllowPendingTasks("runs suites that leave waits behind on purpose, to see them fail")
class NoPendingTasksExtensionTest {

    static final ProbePoint LEAK = ProbePoint.await("test-leak");

    /** Not run by the build directly (a static nested class): run through the test kit below. */
    @ExtendWith(NoPendingTasksExtension.class)
    static class LeakyCase {
        static final TaskRegistry REGISTRY = new TaskRegistry(Ticker.system(), true);
        static final TaskShard SHARD = REGISTRY.newShard("loop-0");
        static final CompletableFuture<?>[] KEPT = new CompletableFuture<?>[4];

        private static CompletableFuture<String> dropCompleter(long task) {
            return Completer.<String>begin(SHARD, task, LEAK).future();
        }

        @Test
        void dropsACompleter() {
            long task = SHARD.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
            KEPT[0] = dropCompleter(task);
        }

        @Test
        void leavesAWaitPendingWithTheCompleterStillHeld() {
            long task = SHARD.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
            Completer<String> held = Completer.begin(SHARD, task, LEAK);
            KEPT[1] = held.future();
            KEPT[2] = CompletableFuture.completedFuture(held);
        }

        @Test
        void completesAndFinishes() {
            long task = SHARD.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
            Completer<String> c = Completer.begin(SHARD, task, LEAK);
            c.complete("ok");
            SHARD.resume(task);
            SHARD.finish(task, TaskState.DONE);
        }
    }

    @Test
    void testsThatLeaveWaitsBehindFailNamingTheTaskAndProbePoint() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(LeakyCase.class))
                .execute().testEvents();

        assertThat(tests.succeeded().count()).isEqualTo(1);
        assertThat(tests.failed().count()).isEqualTo(2);
        assertThat(tests.failed().stream().map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow().getMessage()))
                .anySatisfy(m -> assertThat(m)
                        .contains("lost wake-up: request")
                        .contains("waiting on test-leak (NoPendingTasksExtensionTest.java:")
                        .contains("its completer was dropped without completing"))
                .anySatisfy(m -> assertThat(m)
                        .contains("left pending: request")
                        .contains("waiting on test-leak"));
    }
}
