package io.routerctl.probes;

import com.example.work.Waiter;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.testing.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request's work handed to a thread: the thread's task carries the request's addresses, is asked
 * where it is parked (the application's frame, not the JDK's), outlives its request as an orphan,
 * and leaves the registry once its thread ends.
 */
class ThreadWorkTest {

    private final ManualTicker ticker = new ManualTicker();
    private final TaskRegistry registry = new TaskRegistry(ticker, true);
    private final ExecutorService owner = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-loop-0"));
    private final TaskShard shard = registry.newShard("loop-0");
    private final CompletableFuture<String> answer = new CompletableFuture<>();
    private Thread worker;

    @AfterEach
    void stop() throws Exception {
        answer.complete("late");
        if (worker != null) {
            worker.join(10_000);
        }
        owner.shutdownNow();
        assertThat(owner.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private <T> T onOwner(Callable<T> work) throws Exception {
        return owner.submit(work).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aParkedThreadIsItsRequestsChildWaitingInTheApplicationsFrameThenAnOrphanThenGone() throws Exception {
        InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40123);
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 8080);
        long request = onOwner(() -> shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, client, local));
        worker = new Thread(() -> Waiter.await(answer), "bars-worker");
        worker.start();
        long thread = onOwner(() -> shard.registerThread(request, worker));
        assertThat(thread).isNotEqualTo(TaskShard.NO_TASK);
        poll("the worker parks", () -> worker.getState() == Thread.State.WAITING);

        ticker.advance(Duration.ofSeconds(6));
        TaskSnapshot t = threadTask(registry.query(TaskQuery.stuck(5_000, 10)));
        assertThat(t.label()).isEqualTo("bars-worker");
        assertThat(t.remote()).isEqualTo("127.0.0.1:40123");
        assertThat(t.local()).isEqualTo("127.0.0.1:8080");
        assertThat(t.parent()).isEqualTo(onOwner(() -> shard.idOf(request)));
        assertThat(t.state()).isEqualTo(TaskState.WAITING);
        assertThat(t.waitingOn()).isEqualTo("CompletableFuture.get");
        assertThat(t.waitingAt()).startsWith("Waiter.await(Waiter.java:");
        assertThat(t.warnings()).isEmpty();

        // The client goes; the thread stays parked: an orphan, counted.
        onOwner(() -> {
            shard.finish(request, TaskState.ABANDONED);
            return shard.sweepThreads();
        });
        TaskReport report = registry.query(TaskQuery.stuck(5_000, 10));
        assertThat(report.tasks()).extracting(TaskSnapshot::kind).containsExactly(TaskKind.THREAD);
        assertThat(threadTask(report).warnings()).containsExactly("orphaned");
        StuckGroup g = report.groups().get(0);
        assertThat(g.orphans()).isEqualTo(1);
        assertThat(g.waitingAt()).startsWith("Waiter.await(");
        assertThat(registry.census(5_000, true).orphans()).isEqualTo(1);

        // Woken at last, the thread ends, and its task with it.
        answer.complete("late");
        worker.join(10_000);
        assertThat(registry.query(TaskQuery.all(5_000, 10)).inFlight()).as("a dead thread is not in flight").isZero();
        assertThat(onOwner(shard::sweepThreads)).isZero();
        assertThat(onOwner(shard::live)).isZero();
    }

    @Test
    void aThreadOfARequestThatIsGoneIsNotRegistered() throws Exception {
        long request = onOwner(() -> shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, null));
        onOwner(() -> {
            shard.finish(request, TaskState.DONE);
            return null;
        });
        worker = new Thread(() -> Waiter.await(answer));
        assertThat(onOwner(() -> shard.registerThread(request, worker))).isEqualTo(TaskShard.NO_TASK);
        assertThat(onOwner(shard::threads)).isZero();
    }

    @Test
    void whereAThreadWaitsIsTheJdkCallItsCodeMadeAndTheFirstFrameOfItsOwnCode() {
        StackTraceElement[] parkedInAFramework = {
                new StackTraceElement("jdk.internal.misc.Unsafe", "park", null, -2),
                new StackTraceElement("java.util.concurrent.locks.LockSupport", "park", "LockSupport.java", 371),
                new StackTraceElement("java.util.concurrent.LinkedBlockingQueue", "take", "LinkedBlockingQueue.java", 435),
                new StackTraceElement("io.grpc.stub.ClientCalls$ThreadlessExecutor", "waitAndDrain", "ClientCalls.java", 748),
                new StackTraceElement("io.grpc.stub.ClientCalls", "blockingUnaryCall", "ClientCalls.java", 163),
                new StackTraceElement("com.example.quotes.QuoteClient", "price", "QuoteClient.java", 27),
                new StackTraceElement("java.lang.VirtualThread", "run", "VirtualThread.java", 329)};
        ThreadWork.Where w = ThreadWork.where(parkedInAFramework);
        assertThat(w.call()).isEqualTo("LinkedBlockingQueue.take");
        assertThat(w.at()).isEqualTo("QuoteClient.price(QuoteClient.java:27)");

        ThreadWork.Where noOwnCode = ThreadWork.where(java.util.Arrays.copyOf(parkedInAFramework, 5));
        assertThat(noOwnCode.at()).as("no frame of the service's: the framework's first")
                .isEqualTo("ClientCalls$ThreadlessExecutor.waitAndDrain(ClientCalls.java:748)");
        ThreadWork.Where jdkOnly = ThreadWork.where(java.util.Arrays.copyOf(parkedInAFramework, 3));
        assertThat(jdkOnly.call()).isEqualTo("Unsafe.park");
        assertThat(jdkOnly.at()).isNull();
    }

    private static TaskSnapshot threadTask(TaskReport report) {
        return report.tasks().stream().filter(t -> t.kind() == TaskKind.THREAD).findFirst()
                .orElseThrow(() -> new AssertionError("no thread task in " + report));
    }

    private static void poll(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 10s");
            }
            Thread.sleep(5);
        }
    }
}
