package io.routerctl.probes.bench;

import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.Ticker;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Queries over a registry holding {@code tasks} in-flight tasks while an event loop keeps writing,
 * and what the query costs that event loop.
 *
 * <p>Each JMH group pairs a <em>writer</em> (an event loop doing register, six steps, finish on its
 * own shard, over and over) with a <em>neighbour</em> on the second core:
 * <ul>
 *   <li>{@code alone}: the neighbour sleeps; the writer's time here is the reference.</li>
 *   <li>{@code spinner}: the neighbour burns CPU without touching memory, to tell a busy second
 *       core apart from the query's own effect (memory traffic, cache, GC).</li>
 *   <li>{@code stuckNone}: {@code routerctl dump-stuck} on a healthy service: a stuck query
 *       (limit 100) where nothing has been idle for an hour, so only counting is done.</li>
 *   <li>{@code stuckAll}: the same query when every in-flight task is stuck (threshold 0): the
 *       worst case, every task matches and is ranked.</li>
 *   <li>{@code all}: every in-flight task, limit 100 ({@code routerctl tasks}).</li>
 *   <li>{@code census}: in flight per kind and stuck per kind and point, as the Micrometer meters
 *       and the JFR summary count them (nothing copied out).</li>
 * </ul>
 * The in-flight tasks sit in a shard of their own, filled before the measurement (half waiting on
 * auth, half running after three steps, each with its own client address); the writer's shard is
 * scanned by every query too. The writer's slowdown is its time in a query group divided by its
 * time in {@code alone}. One writer and one neighbour fill this two-core machine; {@code -tg 1,2}
 * runs two writers (more threads than cores: the figures then include time-slicing).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class QueryUnderLoadBenchmark {

    /** The registry with its in-flight population, shared by the group's threads. */
    @State(Scope.Group)
    public static class Target {
        @Param({"100000", "1000000"})
        public int tasks;

        TaskRegistry registry;

        @Setup(Level.Trial)
        public void fill() {
            registry = new TaskRegistry(Ticker.system(), true, Math.max(tasks + 1, 1 << 21));
            TaskShard population = registry.newShard("loop-in-flight");
            for (int i = 0; i < tasks; i++) {
                long t = population.register(TaskKind.REQUEST, TaskShard.NO_TASK, RequestWork.remote(i), RequestWork.LOCAL);
                population.step(t, RequestWork.REQUEST_READ);
                population.step(t, RequestWork.ROUTE_RESOLVED);
                population.step(t, RequestWork.AUTH_REQUESTED);
                if ((i & 1) == 0) {
                    population.await(t, RequestWork.AUTH);
                }
            }
            if (population.live() != tasks) {
                throw new IllegalStateException("registered " + population.live() + " of " + tasks);
            }
        }
    }

    /** The event loop's own shard, created and written by the writer thread. */
    @State(Scope.Thread)
    public static class Writer {
        TaskShard shard;
        long connection;
        InetSocketAddress remote;

        @Setup(Level.Trial)
        public void setUp(Target target) {
            WorkerCpuProfiler.declareRole("writer");
            shard = target.registry.newShard("loop-" + Thread.currentThread().getName());
            for (int i = 0; i < ShardOperationsBenchmark.LIVE_CONNECTIONS; i++) {
                connection = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, RequestWork.remote(i), RequestWork.LOCAL);
            }
            remote = RequestWork.remote(0);
        }

        long request() {
            return RequestWork.registerSixStepsFinish(shard, connection, remote);
        }
    }

    static final TaskQuery STUCK_NONE = TaskQuery.stuck(3_600_000, 100);
    static final TaskQuery STUCK_ALL = TaskQuery.stuck(0, 100);
    static final TaskQuery ALL = TaskQuery.all(TaskQuery.DEFAULT_OLDER_THAN_MS, 100);

    @Benchmark
    @Group("alone")
    @GroupThreads(1)
    public long alone_writer(Writer writer) {
        return writer.request();
    }

    @Benchmark
    @Group("alone")
    @GroupThreads(1)
    public void alone_sleeper() {
        WorkerCpuProfiler.declareRole("sleeper"); // renames the thread the first time only
        LockSupport.parkNanos(1_000_000);
    }

    @Benchmark
    @Group("spinner")
    @GroupThreads(1)
    public long spinner_writer(Writer writer) {
        return writer.request();
    }

    @Benchmark
    @Group("spinner")
    @GroupThreads(1)
    public void spinner_spin() {
        WorkerCpuProfiler.declareRole("spin");
        Blackhole.consumeCPU(10_000);
    }

    @Benchmark
    @Group("stuckNone")
    @GroupThreads(1)
    public long stuckNone_writer(Writer writer) {
        return writer.request();
    }

    @Benchmark
    @Group("stuckNone")
    @GroupThreads(1)
    public TaskReport stuckNone_query(Target target) {
        WorkerCpuProfiler.declareRole("query");
        return target.registry.query(STUCK_NONE);
    }

    @Benchmark
    @Group("stuckAll")
    @GroupThreads(1)
    public long stuckAll_writer(Writer writer) {
        return writer.request();
    }

    @Benchmark
    @Group("stuckAll")
    @GroupThreads(1)
    public TaskReport stuckAll_query(Target target) {
        WorkerCpuProfiler.declareRole("query");
        return target.registry.query(STUCK_ALL);
    }

    @Benchmark
    @Group("all")
    @GroupThreads(1)
    public long all_writer(Writer writer) {
        return writer.request();
    }

    @Benchmark
    @Group("all")
    @GroupThreads(1)
    public TaskReport all_query(Target target) {
        WorkerCpuProfiler.declareRole("query");
        return target.registry.query(ALL);
    }

    @Benchmark
    @Group("census")
    @GroupThreads(1)
    public long census_writer(Writer writer) {
        return writer.request();
    }

    /** What the Micrometer gauges and the JFR stuck summary count, once per refresh or period. */
    @Benchmark
    @Group("census")
    @GroupThreads(1)
    public io.routerctl.probes.snapshot.TaskCensus census_count(Target target) {
        WorkerCpuProfiler.declareRole("census");
        return target.registry.census(TaskQuery.DEFAULT_OLDER_THAN_MS, true);
    }
}
