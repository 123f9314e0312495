package io.routerctl.probes;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class QueryTopLimitTest {

    private static final ProbePoint STEP = ProbePoint.step("top-limit-step");

    @Test
    void aLimitedQueryReturnsTheHeadOfTheFullOrderForEverySortThatSkipsSnapshots() {
        AtomicLong now = new AtomicLong(1_000_000_000_000L);
        TaskRegistry registry = new TaskRegistry(now::get, true, 1 << 16);
        Random random = new Random(42);
        for (int s = 0; s < 3; s++) {
            TaskShard shard = registry.newShard("loop-" + s);
            for (int i = 0; i < 3_000; i++) {
                now.addAndGet(random.nextInt(3) * 1_000_000L); // many equal ages and idle times
                long t = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null);
                if (random.nextBoolean()) {
                    shard.step(t, STEP, now.get() + random.nextInt(5_000) * 1_000_000L);
                }
                if (random.nextInt(10) == 0) {
                    shard.finish(t, TaskState.DONE);
                }
            }
        }
        now.addAndGet(10_000L * 1_000_000L);
        for (TaskQuery.Sort sort : List.of(TaskQuery.Sort.IDLE, TaskQuery.Sort.AGE, TaskQuery.Sort.ID)) {
            for (boolean descending : new boolean[] {false, true}) {
                for (boolean stuckOnly : new boolean[] {false, true}) {
                    List<Long> everything = ids(registry, new TaskQuery(stuckOnly, 3_000, null, List.of(), sort, descending, 10_000));
                    List<Long> top = ids(registry, new TaskQuery(stuckOnly, 3_000, null, List.of(), sort, descending, 25));
                    assertThat(top).as("%s descending=%s stuckOnly=%s", sort, descending, stuckOnly)
                            .isEqualTo(everything.subList(0, 25));
                    assertThat(registry.query(new TaskQuery(stuckOnly, 3_000, null, List.of(), sort, descending, 25)).matched())
                            .isEqualTo(everything.size());
                }
            }
        }
    }

    private static List<Long> ids(TaskRegistry registry, TaskQuery query) {
        return registry.query(query).tasks().stream().map(TaskSnapshot::id).toList();
    }
}
