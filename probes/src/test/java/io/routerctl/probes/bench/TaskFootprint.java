package io.routerctl.probes.bench;

import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.Ticker;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Heap bytes per tracked task: the heap in use after registering N tasks, minus before, over N,
 * each measured after full collections. Run it alone in its own JVM (a serial collector makes the
 * figure exact): {@code docs/bench/micro.sh footprint [N ...]}.
 *
 * <p>Two figures per N: the registry alone (tasks registered with no addresses, which the registry
 * keeps by reference and a server holds anyway, on its channels) and with one distinct client
 * address object per task, for a process that keeps nothing else. A shard grows by segments of
 * 1,024 slots, so the cost per task is the same at any N (within one segment). The slowest single
 * {@code register} call is shown too: the ones that add a segment allocate it on the registering
 * (event-loop) thread, and copy nothing. Then every task finishes, and the heap the registry still
 * holds is shown: what a burst leaves behind.
 *
 * <h2>Thread safety</h2>
 * A command-line program on one thread.
 */
public final class TaskFootprint {

    private TaskFootprint() {
    }

    public static void main(String[] args) {
        int[] counts = args.length == 0 ? new int[] {100_000, 1_000_000, 1_048_576, 1_048_577} : parse(args);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.out.println("collector: " + collectors() + ", max heap: " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        // One untimed round first, so that the slowest register is a compiled one's.
        fill(1_000_000, true, new long[1], new long[1][]);
        System.out.printf(Locale.ROOT, "%-10s %-15s %12s %12s %10s %18s %20s%n",
                "tasks", "addresses", "heap delta", "bytes/task", "capacity", "slowest register",
                "held after all finish");
        for (int n : counts) {
            for (boolean withAddresses : new boolean[] {false, true}) {
                long before = usedAfterGc(memory);
                long[] slowest = new long[1];
                long[][] handles = new long[1][];
                TaskRegistry registry = fill(n, withAddresses, slowest, handles);
                long after = usedAfterGc(memory);
                // The handles array is the benchmark's, not the registry's: 16 bytes of header, 8 per task.
                long delta = after - before - (16 + 8L * n);
                TaskShard shard = registry.shards().get(0);
                int capacity = shard.capacity();
                for (long h : handles[0]) {
                    shard.finish(h, TaskState.DONE);
                }
                handles[0] = null;
                long drained = Math.max(0, usedAfterGc(memory) - before);
                System.out.printf(Locale.ROOT, "%-10d %-15s %12d %12.1f %10d %15.3f ms %17d B%n",
                        n, withAddresses ? "one per task" : "none", delta, (double) delta / n, capacity,
                        slowest[0] / 1e6, drained);
                // Keep the registry reachable until measured.
                reachabilityFence(registry);
            }
        }
    }

    /**
     * A registry with {@code n} live tasks in one shard; {@code slowest[0]} gets the slowest
     * register's nanos, {@code handles[0]} the tasks' handles.
     */
    private static TaskRegistry fill(int n, boolean withAddresses, long[] slowest, long[][] handles) {
        TaskRegistry registry = new TaskRegistry(Ticker.system(), true, Math.max(n, 1 << 21));
        TaskShard shard = registry.newShard("loop-0");
        long worst = 0;
        long[] made = new long[n];
        for (int i = 0; i < n; i++) {
            InetSocketAddress remote = withAddresses ? RequestWork.remote(i) : null;
            long started = System.nanoTime();
            long t = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, remote, withAddresses ? RequestWork.LOCAL : null);
            worst = Math.max(worst, System.nanoTime() - started);
            shard.step(t, RequestWork.REQUEST_READ);
            made[i] = t;
        }
        if (shard.live() != n) {
            throw new IllegalStateException("registered " + shard.live() + " of " + n);
        }
        slowest[0] = worst;
        handles[0] = made;
        return registry;
    }

    private static String collectors() {
        StringBuilder out = new StringBuilder();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            out.append(out.length() == 0 ? "" : " + ").append(gc.getName());
        }
        return out.toString();
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void reachabilityFence(Object o) {
        java.lang.ref.Reference.reachabilityFence(o);
    }

    private static int[] parse(String[] args) {
        int[] out = new int[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = Integer.parseInt(args[i].replace("_", ""));
        }
        return out;
    }
}
