package io.routerctl.probes.bench;

import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.attach.Subscription;
import io.routerctl.probes.attach.SubscriptionListener;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an engineer attached to a service during an incident asks of it, for the end-to-end
 * benchmark when the console cannot be used: a subscription like {@code routerctl top}'s (all
 * tasks, limit 50, every second) and a stuck query like {@code routerctl dump-stuck}'s (limit 100)
 * every second, for a bounded time.
 *
 * <pre>{@code
 * java -cp ... io.routerctl.probes.bench.AttachLoad /tmp/routerctl-me/1234.sock 30
 * }</pre>
 * Prints one line at the end: updates received, queries made, milliseconds of the slowest query,
 * and its own CPU seconds ({@code cpu=}), so the benchmark can tell the observer's cost apart.
 * Exit code 0 when it ran, 3 when it could not attach.
 *
 * <h2>Thread safety</h2>
 * A command-line program: the main thread queries, the client's reader thread counts updates.
 */
public final class AttachLoad {

    private AttachLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: AttachLoad SOCKET SECONDS");
            System.exit(2);
        }
        Path socket = Path.of(args[0]);
        long seconds = Long.parseLong(args[1]);
        AtomicLong updates = new AtomicLong();
        long queries = 0;
        long slowestNanos = 0;
        try (AttachClient top = AttachClient.connect(socket, Duration.ofSeconds(30));
             AttachClient dump = AttachClient.connect(socket, Duration.ofSeconds(30));
             Subscription ignored = top.subscribe(TaskQuery.all(TaskQuery.DEFAULT_OLDER_THAN_MS, 50), Duration.ofSeconds(1),
                     new SubscriptionListener() {
                         @Override
                         public void onUpdate(TargetInfo target, TaskReport report, List<LoopSnapshot> loops, long droppedBefore) {
                             updates.incrementAndGet();
                         }

                         @Override
                         public void onClosed(Exception cause) {
                         }
                     })) {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long next = System.nanoTime();
            while (next < end) {
                long started = System.nanoTime();
                dump.query(TaskQuery.stuck(TaskQuery.DEFAULT_OLDER_THAN_MS, 100));
                slowestNanos = Math.max(slowestNanos, System.nanoTime() - started);
                queries++;
                next += 1_000_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    // A fixed one-second rhythm, like a shell loop calling dump-stuck every second.
                    Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                }
            }
        } catch (io.routerctl.probes.attach.AttachException e) {
            System.err.println("AttachLoad: cannot attach to " + socket + ": " + e.getMessage());
            System.exit(3);
        }
        long cpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        System.out.printf(Locale.ROOT, "attach load: %d updates, %d stuck queries, slowest %.1f ms, cpu=%.3f%n",
                updates.get(), queries, slowestNanos / 1e6, cpuNanos / 1e9);
    }
}
