package io.routerctl.probes.attach;

import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;

import java.net.InetSocketAddress;

/**
 * A minimal target process for tests: one stuck request, an attach server started the way a
 * service starts it (directory from the system property), "ready <socket>" on stdout, and a
 * normal exit, without closing the server, once stdin ends.
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
        AttachServer server = AttachServer.start(registry, "child-target");
        System.out.println("ready " + server.socket());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait for the parent to close our stdin.
        }
        System.exit(0);
    }
}
