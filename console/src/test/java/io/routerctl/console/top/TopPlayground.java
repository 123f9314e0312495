package io.routerctl.console.top;

import io.routerctl.console.command.TopCommand;
import com.googlecode.lanterna.terminal.Terminal;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.snapshot.TaskState;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Top on a real terminal against an in-process registry with simulated traffic, some of it losing
 * its auth wake-up: for looking at the screen in tmux or over ssh by hand before a real target
 * exists. Not part of the product; run from the test classpath.
 */
public final class TopPlayground {

    private static final ProbePoint REQUEST_READ = ProbePoint.step("request-read");
    private static final ProbePoint ROUTE_RESOLVED = ProbePoint.step("route-resolved");
    private static final ProbePoint AUTH_REQUESTED = ProbePoint.step("auth-requested");
    private static final ProbePoint AUTH = ProbePoint.await("auth");
    private static final ProbePoint AUTH_COMPLETED = ProbePoint.step("auth-completed");
    private static final ProbePoint RESPONSE_WRITTEN = ProbePoint.step("response-written");

    private TopPlayground() {
    }

    /**
     * No arguments: top on this terminal against the simulated registry, in-process. {@code serve}:
     * serve the simulated registry on the attach socket until killed. {@code top ...}: run the real
     * {@code routerctl top} command with these arguments (as the launcher would).
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("top")) {
            io.routerctl.console.Routerctl.main(args);
        }
        TaskRegistry registry = new TaskRegistry();
        for (int s = 0; s < 2; s++) {
            drive(registry.newShard("loop-" + s), s);
        }
        if (args.length > 0 && args[0].equals("serve")) {
            io.routerctl.probes.attach.AttachServer server =
                    io.routerctl.probes.attach.AttachServer.start(registry, "playground-router");
            System.out.println("serving pid " + ProcessHandle.current().pid() + " on " + server.socket());
            Thread.currentThread().join();
        }
        RegistryTarget target = new RegistryTarget(registry, "playground-router");
        Terminal terminal = TopCommand.newTerminal();
        try {
            new TopSession(terminal, target, TopSettings.of(Duration.ofSeconds(1), 2_000, null, false)).run(target);
        } finally {
            terminal.close();
        }
        System.out.println("top exited, terminal restored");
    }

    /** About 100 requests a second on this loop; one in twenty loses its auth wake-up. */
    private static void drive(TaskShard shard, int loop) throws Exception {
        ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "playground-loop-" + loop);
            t.setDaemon(true);
            return t;
        });
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
        Deque<long[]> waiting = new ArrayDeque<>();
        int[] port = {40_000 + loop * 10_000};
        thread.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            while (!waiting.isEmpty() && waiting.peekFirst()[2] <= now) {
                long[] r = waiting.pollFirst();
                shard.resume(r[1], AUTH_COMPLETED);
                shard.step(r[1], RESPONSE_WRITTEN);
                shard.finish(r[1], TaskState.DONE);
                shard.finish(r[0], TaskState.DONE);
            }
            InetSocketAddress remote = new InetSocketAddress(InetAddress.getLoopbackAddress(), port[0]++);
            long connection = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, remote, local);
            long request = shard.register(TaskKind.REQUEST, connection, remote, local);
            shard.step(request, REQUEST_READ);
            shard.step(request, ROUTE_RESOLVED);
            shard.step(request, AUTH_REQUESTED);
            shard.await(request, AUTH);
            if (ThreadLocalRandom.current().nextInt(20) != 0) {
                waiting.addLast(new long[] {connection, request, now + TimeUnit.MILLISECONDS.toNanos(300)});
            }
        }, 0, 10, TimeUnit.MILLISECONDS);
    }
}
