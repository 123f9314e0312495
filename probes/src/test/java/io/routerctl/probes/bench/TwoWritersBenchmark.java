package io.routerctl.probes.bench;

import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.Ticker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two event loops, each writing its own shard, at once, against one loop alone. The shards are
 * created back to back by one thread, as a runtime creating one shard per loop at start would, so
 * that anything the two shards share in memory (a cache line of the shard objects, of their
 * columns, of the registry) shows as the two-writer time rising above the one-writer time.
 *
 * <p>{@code twoWritersFalseSharingControl} adds one write per request to a cache line the two
 * writers share, to show what a shared line would cost here.
 *
 * <p>The machine must have a free core per writer for the comparison to mean anything: with two
 * writers on a two-core machine, any other load on the machine also shows up as a slowdown, so
 * read this benchmark beside the load average recorded with it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class TwoWritersBenchmark {

    /** The registry and its two shards, made by one thread before any writer starts. */
    @State(Scope.Benchmark)
    public static class Loops {
        final TaskShard[] shards = new TaskShard[2];
        final long[] connections = new long[2];
        final AtomicInteger taken = new AtomicInteger();
        /** Two adjacent counters, one per writer: a cache line both write, for the control. */
        final long[] sharedLine = new long[2];

        @Setup(Level.Trial)
        public void setUp() {
            TaskRegistry registry = new TaskRegistry(Ticker.system(), true);
            for (int s = 0; s < shards.length; s++) {
                shards[s] = registry.newShard("loop-" + s);
            }
            for (int s = 0; s < shards.length; s++) {
                for (int i = 0; i < ShardOperationsBenchmark.LIVE_CONNECTIONS; i++) {
                    connections[s] = shards[s].register(
                            TaskKind.CONNECTION, TaskShard.NO_TASK, RequestWork.remote(i), RequestWork.LOCAL);
                }
            }
        }
    }

    /**
     * One writer thread's shard. The hand-over from the setup thread is safe: JMH starts the
     * writers after the trial setup and never runs two writers on one {@code Loop}.
     */
    @State(Scope.Thread)
    public static class Loop {
        TaskShard shard;
        long connection;
        InetSocketAddress remote;
        long[] sharedLine;
        int index;

        @Setup(Level.Trial)
        public void take(Loops loops) {
            int s = loops.taken.getAndIncrement() % loops.shards.length;
            index = s;
            sharedLine = loops.sharedLine;
            shard = loops.shards[s];
            connection = loops.connections[s];
            remote = RequestWork.remote(s);
        }
    }

    @Benchmark
    @Threads(1)
    public long oneWriter(Loop loop) {
        return RequestWork.registerSixStepsFinish(loop.shard, loop.connection, loop.remote);
    }

    @Benchmark
    @Threads(2)
    public long twoWriters(Loop loop) {
        return RequestWork.registerSixStepsFinish(loop.shard, loop.connection, loop.remote);
    }

    /**
     * The control: the same work plus one plain increment of a counter that shares a cache line
     * with the other writer's. It shows what false sharing costs on this machine, so that the
     * absence of that cost in {@link #twoWriters} means something.
     */
    @Benchmark
    @Threads(2)
    public long twoWritersFalseSharingControl(Loop loop) {
        loop.sharedLine[loop.index]++;
        return RequestWork.registerSixStepsFinish(loop.shard, loop.connection, loop.remote);
    }

    @Benchmark
    @Threads(1)
    public long oneWriterStepOnly(Loop loop, StepTask task) {
        loop.shard.step(task.handle, RequestWork.ROUTE_RESOLVED);
        return task.handle;
    }

    @Benchmark
    @Threads(2)
    public long twoWritersStepOnly(Loop loop, StepTask task) {
        loop.shard.step(task.handle, RequestWork.ROUTE_RESOLVED);
        return task.handle;
    }

    /** A live request on the thread's own shard, stepped over and over. */
    @State(Scope.Thread)
    public static class StepTask {
        long handle;

        @Setup(Level.Trial)
        public void setUp(Loop loop) {
            handle = loop.shard.register(TaskKind.REQUEST, loop.connection, loop.remote, RequestWork.LOCAL);
        }
    }
}
