package io.routerctl.probes.bench;

import io.routerctl.probes.TaskKind;
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
 * address object per task, for a process that keeps nothing else. A shard's columns grow by
 * doubling, so the registry's cost per task is lowest just under a power of two and nearly double
 * just above one; both are shown.
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
        System.out.printf(Locale.ROOT, "%-10s %-15s %12s %14s %12s%n",
                "tasks", "addresses", "heap delta", "bytes/task", "capacity");
        for (int n : counts) {
            for (boolean withAddresses : new boolean[] {false, true}) {
                long before = usedAfterGc(memory);
                TaskRegistry registry = new TaskRegistry(Ticker.system(), true, Math.max(n, 1 << 21));
                TaskShard shard = registry.newShard("loop-0");
                for (int i = 0; i < n; i++) {
                    InetSocketAddress remote = withAddresses ? RequestWork.remote(i) : null;
                    long t = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, remote, withAddresses ? RequestWork.LOCAL : null);
                    shard.step(t, RequestWork.REQUEST_READ);
                }
                long after = usedAfterGc(memory);
                if (shard.live() != n) {
                    throw new IllegalStateException("registered " + shard.live() + " of " + n);
                }
                long delta = after - before;
                System.out.printf(Locale.ROOT, "%-10d %-15s %12d %14.1f %12d%n",
                        n, withAddresses ? "one per task" : "none", delta, (double) delta / n, capacityFor(n));
                // Keep the registry reachable until measured.
                reachabilityFence(registry);
            }
        }
    }

    private static int capacityFor(int n) {
        int c = 256;
        while (c < n) {
            c *= 2;
        }
        return c;
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
