package io.routerctl.probes.bench;

import io.routerctl.probes.Completer;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The writer's operations on the owning thread, one shard, the system clock, with tracking on and
 * off in the same run ({@code tracking} parameter), so that the disabled cost of a call site reads
 * as {@code (off - baseline) / calls}.
 *
 * <p>The shard holds {@value #LIVE_CONNECTIONS} live connections throughout, as a loop serving
 * that many clients would; each request registers under one of them. Steps read the registry's
 * clock ({@link Ticker#system()}, i.e. {@code System.nanoTime()}) unless the method name says
 * {@code PreRead}: then the time is read once by the caller, as an event loop that stamps a whole
 * batch of I/O events with one clock read would.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Thread)
public class ShardOperationsBenchmark {

    static final int LIVE_CONNECTIONS = 1_024;

    @Param({"on", "off"})
    public String tracking;

    TaskShard shard;
    long connection;
    long request;
    long nanos;
    InetSocketAddress remote;

    @Setup(Level.Trial)
    public void setUp() {
        TaskRegistry registry = new TaskRegistry(Ticker.system(), "on".equals(tracking));
        shard = registry.newShard("loop-0");
        for (int i = 0; i < LIVE_CONNECTIONS; i++) {
            connection = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, RequestWork.remote(i), RequestWork.LOCAL);
        }
        remote = RequestWork.remote(LIVE_CONNECTIONS);
        request = shard.register(TaskKind.REQUEST, connection, remote, RequestWork.LOCAL);
        nanos = shard.ticker().nanoTime();
    }

    /** What a call site costs with no registry call at all: the floor every figure sits on. */
    @Benchmark
    public long baseline() {
        return request;
    }

    /** The clock read that every timed registry call makes once. */
    @Benchmark
    public long clockRead() {
        return shard.ticker().nanoTime();
    }

    @Benchmark
    public long step() {
        shard.step(request, RequestWork.ROUTE_RESOLVED);
        return request;
    }

    /**
     * A step inside an event that is already open (the clock was read when it began): what every
     * step but an event's first costs with the event clock.
     */
    @Benchmark
    public long stepInEvent(InEvent event) {
        event.shard.step(event.request, RequestWork.ROUTE_RESOLVED);
        return event.request;
    }

    /**
     * A shard (tracking on, whatever the {@code tracking} parameter says) with an event open for a
     * whole iteration, so that each step is stamped with the event's time, as every step but an
     * event's first is.
     */
    @State(Scope.Thread)
    public static class InEvent {
        TaskShard shard;
        long request;

        @Setup(Level.Trial)
        public void setUp() {
            shard = new TaskRegistry(Ticker.system(), true).newShard("loop-0");
            long connection = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, RequestWork.remote(0),
                    RequestWork.LOCAL);
            request = shard.register(TaskKind.REQUEST, connection, RequestWork.remote(0), RequestWork.LOCAL);
        }

        @Setup(Level.Iteration)
        public void open() {
            shard.beginEvent();
        }

        @TearDown(Level.Iteration)
        public void close() {
            shard.endEvent();
        }
    }

    @Benchmark
    public long stepPreRead() {
        shard.step(request, RequestWork.ROUTE_RESOLVED, nanos);
        return request;
    }

    /** The wait/complete pair around a tracked future: await, then resume with a step. */
    @Benchmark
    public long awaitResume() {
        shard.await(request, RequestWork.AUTH);
        shard.resume(request, RequestWork.AUTH_COMPLETED);
        return request;
    }

    /**
     * A tracked future's whole wait: {@link Completer#begin} (the task waits, the completer is
     * watched), the producer (here: a field standing for the library that holds the completer, so
     * that it escapes in both modes as in real code) completes it, the owner resumes the task. With
     * tracking off the completer still works, untracked: the difference in bytes is what tracking
     * adds to a wait.
     */
    @Benchmark
    public Object trackedWait() {
        Completer<Boolean> completer = Completer.begin(shard, request, RequestWork.AUTH);
        library = completer;
        library.complete(Boolean.TRUE);
        library = null;
        shard.resume(request, RequestWork.AUTH_COMPLETED);
        return completer.future();
    }

    /** The producer's hold on a completer, as a callback library's would be. */
    Completer<Boolean> library;

    /** A task that lives for no step: register and finish. */
    @Benchmark
    public long registerFinish() {
        long t = shard.register(TaskKind.REQUEST, connection, remote, RequestWork.LOCAL);
        shard.finish(t, TaskState.DONE);
        return t;
    }

    /** The target's unit: register, six steps, finish (eight calls). */
    @Benchmark
    public long registerSixStepsFinish() {
        return RequestWork.registerSixStepsFinish(shard, connection, remote);
    }

    @Benchmark
    public long registerSixStepsFinishPreRead() {
        return RequestWork.registerSixStepsFinishPreRead(shard, connection, remote, nanos);
    }

    /** Register, six steps and finish inside one event: one clock read for eight calls. */
    @Benchmark
    public long registerSixStepsFinishInEvent() {
        return RequestWork.registerSixStepsFinishInEvent(shard, connection, remote);
    }

    /** A whole request of the sample router (ten calls, with the auth wait). */
    @Benchmark
    public long sampleRequest() {
        return RequestWork.sampleRequest(shard, connection, remote);
    }

    /** The same request in its three events, as the runtime records it. */
    @Benchmark
    public long sampleRequestInEvents() {
        return RequestWork.sampleRequestInEvents(shard, connection, remote);
    }
}
