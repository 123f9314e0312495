package io.routerctl.probes.bench;

import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.Ticker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Register alone and finish alone. Neither can repeat on its own forever (a shard that only
 * registers fills up), so each invocation does a batch of {@value #BATCH} and the untimed setup or
 * teardown of the invocation does the other half. The batch keeps JMH's per-invocation timing
 * overhead (tens of nanoseconds) under a tenth of a nanosecond per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public class ShardRegisterFinishBenchmark {

    static final int BATCH = 1_024;

    @Param({"on", "off"})
    public String tracking;

    TaskShard shard;
    long connection;
    InetSocketAddress remote;
    final long[] handles = new long[BATCH];

    @Setup(Level.Trial)
    public void setUp() {
        TaskRegistry registry = new TaskRegistry(Ticker.system(), "on".equals(tracking));
        shard = registry.newShard("loop-0");
        for (int i = 0; i < ShardOperationsBenchmark.LIVE_CONNECTIONS; i++) {
            connection = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, RequestWork.remote(i), RequestWork.LOCAL);
        }
        remote = RequestWork.remote(ShardOperationsBenchmark.LIVE_CONNECTIONS);
        // Grow the shard to its working size once, so that register measures steady state.
        registerBatch();
        finishBatch();
    }

    /** Finishes what {@link #register} registered; untimed. */
    @TearDown(Level.Invocation)
    public void finishBatch() {
        for (long h : handles) {
            shard.finish(h, TaskState.DONE);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void register(Blackhole bh) {
        registerBatch();
        bh.consume(handles);
    }

    /** The invocation's setup registers the batch that {@link #finish} finishes; untimed. */
    @State(Scope.Thread)
    public static class Registered {
        @Setup(Level.Invocation)
        public void registerBatch(ShardRegisterFinishBenchmark b) {
            b.registerBatch();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void finish(Registered registered) {
        for (long h : handles) {
            shard.finish(h, TaskState.DONE);
        }
    }

    void registerBatch() {
        for (int i = 0; i < BATCH; i++) {
            handles[i] = shard.register(TaskKind.REQUEST, connection, remote, RequestWork.LOCAL);
        }
    }
}
