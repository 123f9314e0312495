package io.routerctl.probes;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One writer churns tasks through steps, waits and finishes while a reader queries without pause.
 * Every task is written so that a torn copy would contradict itself; the reader checks each copy.
 */
class TaskRegistryConcurrencyTest {

    private static final int RING = TaskShard.STEPS_PER_TASK;
    private static final ProbePoint[] STEPS = new ProbePoint[RING];
    private static final ProbePoint WAIT = ProbePoint.await("churn-wait");

    static {
        for (int k = 0; k < RING; k++) {
            STEPS[k] = ProbePoint.step("churn-" + k);
        }
    }

    private static final int TASKS = 20_000;
    private static final int LIVE = 300; // past the initial capacity: the shard grows while read

    @Test
    void aReaderNeverSeesATornTaskWhileTheOwnerChurns() throws Exception {
        TaskRegistry registry = new TaskRegistry(Ticker.system(), true);
        TaskShard shard = registry.newShard("loop-0");
        InetSocketAddress[] addresses = new InetSocketAddress[TASKS];
        for (int n = 0; n < TASKS; n++) {
            addresses[n] = new InetSocketAddress("127.0.0.1", 1024 + n % 60_000);
        }
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        AtomicBoolean writerDone = new AtomicBoolean();
        long[] reads = new long[2]; // queries that saw tasks, tasks checked

        Thread writer = new Thread(() -> {
            try {
                churn(shard, addresses);
            } finally {
                writerDone.set(true);
            }
        }, "churn-writer");

        Thread reader = new Thread(() -> {
            try {
                TaskQuery all = new TaskQuery(false, 0, null, List.of(), TaskQuery.Sort.ID, false, TaskQuery.MAX_LIMIT);
                // Keeps reading until the writer is done, however the two threads happen to be scheduled.
                do {
                    TaskReport report = registry.query(all);
                    if (!report.tasks().isEmpty()) {
                        reads[0]++;
                    }
                    for (TaskSnapshot t : report.tasks()) {
                        checkConsistent(t);
                        reads[1]++;
                    }
                } while (!writerDone.get());
            } catch (Throwable e) {
                readerFailure.set(e);
            }
        }, "churn-reader");

        reader.start();
        writer.start();
        writer.join();
        reader.join();

        assertThat(readerFailure.get()).isNull();
        assertThat(reads[0]).as("queries that saw tasks").isPositive();
        assertThat(reads[1]).as("task copies checked").isGreaterThan(0);
        assertThat(shard.live()).isEqualTo(LIVE);
        assertThat(registry.query(TaskQuery.all(0, TaskQuery.MAX_LIMIT)).tasks()).hasSize(LIVE)
                .allSatisfy(TaskRegistryConcurrencyTest::checkConsistent);
    }

    /** The owner's work: tasks come and go, and each passes steps named in order. */
    private static void churn(TaskShard shard, InetSocketAddress[] addresses) {
        long[] live = new long[LIVE];
        int[] stepsDone = new int[LIVE];
        for (int n = 0; n < TASKS; n++) {
            int slot = n % LIVE;
            if (live[slot] != TaskShard.NO_TASK) {
                shard.finish(live[slot], TaskState.DONE);
            }
            // remote and local carry the same port: a copy mixing two tasks shows different ports.
            live[slot] = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, addresses[n], addresses[n]);
            stepsDone[slot] = 0;
            for (int k = 0; k < LIVE; k++) {
                int s = (n + k) % LIVE;
                if (live[s] == TaskShard.NO_TASK) {
                    continue;
                }
                if ((n + k) % 3 == 0) {
                    shard.await(live[s], WAIT);
                    shard.resume(live[s], STEPS[stepsDone[s]++ % RING]);
                } else if (k % 7 == 0) {
                    shard.step(live[s], STEPS[stepsDone[s]++ % RING]);
                    shard.await(live[s], WAIT);
                } else if (k % 11 == 0) {
                    shard.step(live[s], STEPS[stepsDone[s]++ % RING]);
                }
            }
        }
    }

    private static void checkConsistent(TaskSnapshot t) {
        assertThat(t.remote()).as("remote and local of one task").isEqualTo(t.local());
        assertThat(t.waitingOn() != null).as("waiting_on set iff waiting: %s", t).isEqualTo(t.state() == TaskState.WAITING);
        assertThat(t.waitingMs() != null).isEqualTo(t.waitingOn() != null);
        assertThat(t.state()).isIn(TaskState.RUNNING, TaskState.WAITING);
        List<StepSnapshot> steps = t.steps();
        int total = steps.size() + t.stepsDropped();
        if (total == 0) {
            assertThat(t.lastStep()).as("no steps, no last step: %s", t).isNull();
            return;
        }
        assertThat(steps).hasSize(Math.min(total, RING));
        assertThat(steps.get(steps.size() - 1).name()).as("last step is the last entry: %s", t).isEqualTo(t.lastStep());
        // The writer records churn-0, churn-1, ... in order: the ring holds consecutive indexes ending at total-1.
        List<String> expected = new ArrayList<>();
        for (int k = total - steps.size(); k < total; k++) {
            expected.add("churn-" + (k % RING));
        }
        assertThat(steps).extracting(StepSnapshot::name).as("%s", t).isEqualTo(expected);
        for (int k = 1; k < steps.size(); k++) {
            assertThat(steps.get(k).atMs()).isGreaterThanOrEqualTo(steps.get(k - 1).atMs());
        }
    }
}
