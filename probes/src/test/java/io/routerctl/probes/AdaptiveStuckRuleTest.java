package io.routerctl.probes;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.testing.ManualTicker;
import io.routerctl.probes.testing.Poll;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The adaptive rule on a frozen clock: fine, slow, stuck by adaptive, stuck by older-than. */
class AdaptiveStuckRuleTest {

    static final ProbePoint AUTH = ProbePoint.await("test-adaptive-auth");

    final ManualTicker ticker = new ManualTicker();
    final TaskRegistry registry = new TaskRegistry(ticker, true);
    final TaskShard shard = registry.newShard("loop-0");

    /** 200 completed waits of 3 ms: p99 about 3 ms, adaptive threshold max(1 s floor, 10 x p99) = 1 s. */
    private void history() {
        for (int i = 0; i < 200; i++) {
            long t = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
            shard.await(t, AUTH);
            ticker.advance(Duration.ofMillis(3));
            shard.resume(t);
            shard.finish(t, TaskState.DONE);
        }
    }

    private TaskSnapshot waitingFor(Duration d, TaskQuery query) {
        long t = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
        shard.await(t, AUTH);
        ticker.advance(d);
        TaskSnapshot s = registry.query(query).tasks().stream().findFirst().orElse(null);
        shard.finish(t, TaskState.ABANDONED);
        return s;
    }

    @Test
    void aWaitWithinItsHistoryIsFine() {
        history();
        TaskSnapshot t = waitingFor(Duration.ofMillis(2), TaskQuery.all(5_000, 10).withAdaptive(true));
        assertThat(t.stuck()).isFalse();
        assertThat(t.warnings()).isEmpty();
    }

    @Test
    void aWaitPastTheP99IsSlowButNotStuck() {
        history();
        TaskSnapshot t = waitingFor(Duration.ofMillis(500), TaskQuery.all(5_000, 10).withAdaptive(true));
        assertThat(t.stuck()).isFalse();
        assertThat(t.warnings()).containsExactly("slow");
    }

    @Test
    void aWaitPastTheFloorAndTheMultipleIsStuckByTheAdaptiveRule() {
        history();
        TaskSnapshot t = waitingFor(Duration.ofMillis(1_500), TaskQuery.stuck(5_000, 10).withAdaptive(true));
        assertThat(t).isNotNull();
        assertThat(t.stuck()).isTrue();
        assertThat(t.stuckRule()).isEqualTo("adaptive");
        var point = registry.query(TaskQuery.all(5_000, 1)).points().stream()
                .filter(p -> p.name().equals("test-adaptive-auth")).findFirst().orElseThrow();
        assertThat(point.p99Ms()).isBetween(2.9, 3.5);
        assertThat(point.stuckAfterMs()).isEqualTo(1_000L);
        assertThat(point.waits()).isEqualTo(200);
    }

    @Test
    void withoutTheAdaptiveRuleOnlyOlderThanCounts() {
        history();
        assertThat(waitingFor(Duration.ofMillis(1_500), TaskQuery.stuck(5_000, 10))).isNull();
        TaskSnapshot t = waitingFor(Duration.ofMillis(5_000), TaskQuery.stuck(5_000, 10).withAdaptive(true));
        assertThat(t.stuckRule()).isEqualTo("older-than");
    }

    @Test
    void tooLittleHistoryNeverMakesAWaitStuckEarly() {
        for (int i = 0; i < 10; i++) {
            long t = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
            shard.await(t, AUTH);
            ticker.advance(Duration.ofMillis(3));
            shard.resume(t);
            shard.finish(t, TaskState.DONE);
        }
        TaskSnapshot t = waitingFor(Duration.ofMillis(4_000), TaskQuery.all(5_000, 10).withAdaptive(true));
        assertThat(t.stuck()).isFalse();
        assertThat(t.warnings()).isEmpty();
    }
}
