package io.routerctl.console.testing;

import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.snapshot.TaskState;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real registry on a frozen clock, with requests driven through the sample router's steps by
 * hand: some left waiting on auth (they become stuck as the clock is advanced), some finished, some
 * fresh. Single-threaded: the test thread is the shard's owner.
 */
public final class StuckFixture {

    public static final ProbePoint REQUEST_READ = ProbePoint.step("request-read");
    public static final ProbePoint ROUTE_RESOLVED = ProbePoint.step("route-resolved");
    public static final ProbePoint AUTH_REQUESTED = ProbePoint.step("auth-requested");
    public static final ProbePoint AUTH_COMPLETED = ProbePoint.step("auth-completed");
    public static final ProbePoint RESPONSE_WRITTEN = ProbePoint.step("response-written");
    public static final ProbePoint AUTH = ProbePoint.await("auth");

    public static final int LOCAL_PORT = 8080;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final TaskRegistry registry = new TaskRegistry(nanos::get, true);
    private final TaskShard shard = registry.newShard("loop-0");
    private final java.util.Map<Long, Long> connections = new java.util.HashMap<>();

    public TaskRegistry registry() {
        return registry;
    }

    /** The one shard (loop-0), for driving tasks by hand. */
    public TaskShard shard() {
        return shard;
    }

    /** A request waiting on auth gets its answer, writes its response and leaves. */
    public void complete(long request) {
        shard.resume(request, AUTH_COMPLETED);
        shard.step(request, RESPONSE_WRITTEN);
        shard.finish(request, TaskState.DONE);
    }

    /** A request waiting on auth gets its answer, then waits on auth again (progress, then stuck anew). */
    public void progressThenWaitAgain(long request) {
        shard.resume(request, AUTH_COMPLETED);
        shard.step(request, AUTH_REQUESTED);
        shard.await(request, AUTH);
    }

    /** A second request on the connection of {@code request}, waiting on auth. */
    public long siblingWaitingOnAuth(long request, int port) {
        InetSocketAddress remote = new InetSocketAddress("127.0.0.1", port);
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", LOCAL_PORT);
        long connection = connections.get(request);
        long sibling = shard.register(TaskKind.REQUEST, connection, remote, local);
        shard.step(sibling, REQUEST_READ);
        shard.step(sibling, ROUTE_RESOLVED);
        shard.step(sibling, AUTH_REQUESTED);
        shard.await(sibling, AUTH);
        return sibling;
    }

    /** Moves the frozen clock forward. */
    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    /** A request from {@code 127.0.0.1:<port>} that asked for auth and waits on it; its connection is idle. */
    public long requestWaitingOnAuth(int port) {
        long request = request(port);
        shard.step(request, ROUTE_RESOLVED);
        shard.step(request, AUTH_REQUESTED);
        shard.await(request, AUTH);
        return request;
    }

    /** A request that has only resolved its route (running, not waiting). */
    public long requestAfterRoute(int port) {
        long request = request(port);
        shard.step(request, ROUTE_RESOLVED);
        return request;
    }

    /** A request that read its head, then resolved its route {@code after} later (the clock moves). */
    public long requestAfterRouteAt(int port, Duration after) {
        long request = request(port);
        advance(after);
        shard.step(request, ROUTE_RESOLVED);
        return request;
    }

    /** A request that went all the way through and left the registry. */
    public void requestCompleted(int port) {
        long request = requestWaitingOnAuth(port);
        shard.resume(request, AUTH_COMPLETED);
        shard.step(request, RESPONSE_WRITTEN);
        shard.finish(request, TaskState.DONE);
    }

    /** A request whose auth wait took {@code wait} (on the frozen clock), then finished: history for the adaptive rule. */
    public void requestAuthenticatedAfter(int port, Duration wait) {
        long request = requestWaitingOnAuth(port);
        advance(wait);
        shard.resume(request, AUTH_COMPLETED);
        shard.step(request, RESPONSE_WRITTEN);
        shard.finish(request, TaskState.DONE);
    }

    private long request(int port) {
        InetSocketAddress remote = new InetSocketAddress("127.0.0.1", port);
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", LOCAL_PORT);
        long connection = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, remote, local);
        shard.idle(connection);
        long request = shard.register(TaskKind.REQUEST, connection, remote, local);
        shard.step(request, REQUEST_READ);
        connections.put(request, connection);
        return request;
    }

    /** The id users see (dump-stuck's ID column) of the task behind handle {@code task}. */
    public long id(long task) {
        return shard.idOf(task);
    }
}
