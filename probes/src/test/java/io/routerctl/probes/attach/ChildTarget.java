package io.routerctl.probes.attach;

import io.routerctl.probes.Completer;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.snapshot.TaskKind;

import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A minimal target process for tests: one stuck request, an attach server started the way a
 * service starts it (directory from the system property), "ready <socket>" on stdout, and a
 * normal exit, without closing the server, once stdin ends. With the argument {@code lost-wakeup},
 * a second request waits on a tracked future whose completer nobody keeps.
 */
public final class ChildTarget {

    private ChildTarget() {
    }

    public static void main(String[] args) throws Exception {
        TaskRegistry registry = new TaskRegistry();
        TaskShard shard = registry.newShard("loop-0");
        long req = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK,
                new InetSocketAddress("127.0.0.1", 40999), new InetSocketAddress("127.0.0.1", 8080));
        shard.step(req, ProbePoint.step("route-resolved"));
        shard.await(req, ProbePoint.await("auth"));
        CompletableFuture<?> lost = null;
        if (args.length > 0 && args[0].equals("lost-wakeup")) {
            long waiting = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK,
                    new InetSocketAddress("127.0.0.1", 41000), new InetSocketAddress("127.0.0.1", 8080));
            lost = Completer.begin(shard, waiting, ProbePoint.await("auth")).future();
        }
        AttachServer server = AttachServer.start(registry, "child-target");
        System.out.println("ready " + server.socket());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait for the parent to close our stdin.
        }
        Reference.reachabilityFence(lost);
        System.exit(0);
    }
}
