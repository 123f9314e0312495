package io.routerctl.console.play.testing;

import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.snapshot.TaskState;

import java.net.InetSocketAddress;

/**
 * A real in-process registry driven like the sample router drives it: connections and requests
 * pass the named steps and wait on auth or upstream. Everything runs on the test thread, which
 * owns the shards; time is the {@link ManualClock}.
 */
public final class SampleTarget {

    public static final ProbePoint REQUEST_READ = ProbePoint.step("request-read");
    public static final ProbePoint ROUTE_RESOLVED = ProbePoint.step("route-resolved");
    public static final ProbePoint AUTH_REQUESTED = ProbePoint.step("auth-requested");
    public static final ProbePoint AUTH_COMPLETED = ProbePoint.step("auth-completed");
    public static final ProbePoint UPSTREAM_REQUEST_SENT = ProbePoint.step("upstream-request-sent");
    public static final ProbePoint RESPONSE_WRITTEN = ProbePoint.step("response-written");
    public static final ProbePoint AUTH = ProbePoint.await("auth");
    public static final ProbePoint UPSTREAM = ProbePoint.await("upstream");

    private final TaskRegistry registry;
    private final TaskShard[] loops;
    private int nextPort = 40_000;

    public SampleTarget(ManualClock clock, int loops) {
        this.registry = new TaskRegistry(clock, true, 10_000);
        this.loops = new TaskShard[loops];
        for (int i = 0; i < loops; i++) {
            this.loops[i] = registry.newShard("loop-" + i);
        }
    }

    public TaskRegistry registry() {
        return registry;
    }

    /** A request (on its own connection) that is now waiting on auth, as the buggy adapter leaves it. */
    public long requestWaitingOnAuth(int loop) {
        TaskShard s = loops[loop];
        long req = request(s);
        s.step(req, ROUTE_RESOLVED);
        s.step(req, AUTH_REQUESTED);
        s.await(req, AUTH);
        return req;
    }

    /** A request that is now waiting on its upstream. */
    public long requestWaitingOnUpstream(int loop) {
        TaskShard s = loops[loop];
        long req = request(s);
        s.step(req, ROUTE_RESOLVED);
        s.step(req, AUTH_REQUESTED);
        s.step(req, AUTH_COMPLETED);
        s.step(req, UPSTREAM_REQUEST_SENT);
        s.await(req, UPSTREAM);
        return req;
    }

    /** The auth callback finally arrives and the response goes out: the request leaves. */
    public void complete(int loop, long req) {
        TaskShard s = loops[loop];
        s.resume(req, AUTH_COMPLETED);
        s.step(req, RESPONSE_WRITTEN);
        s.finish(req, TaskState.DONE);
    }

    private long request(TaskShard s) {
        InetSocketAddress remote = new InetSocketAddress("127.0.0.1", nextPort++);
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 8080);
        long conn = s.register(TaskKind.CONNECTION, TaskShard.NO_TASK, remote, local);
        s.idle(conn);
        long req = s.register(TaskKind.REQUEST, conn, remote, local);
        s.step(req, REQUEST_READ);
        return req;
    }
}
