package io.routerctl.probes.bench;

import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.snapshot.TaskState;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The probe points the sample router declares, and the sequences of registry calls one request
 * makes, shared by every benchmark so that they all measure the same work.
 *
 * <h2>Thread safety</h2>
 * The probe points and addresses are immutable. The methods write {@code shard} and so must run on
 * its owning thread.
 */
final class RequestWork {

    static final ProbePoint REQUEST_READ = ProbePoint.step("request-read");
    static final ProbePoint ROUTE_RESOLVED = ProbePoint.step("route-resolved");
    static final ProbePoint AUTH_REQUESTED = ProbePoint.step("auth-requested");
    static final ProbePoint AUTH_COMPLETED = ProbePoint.step("auth-completed");
    static final ProbePoint UPSTREAM_CONNECTED = ProbePoint.step("upstream-connected");
    static final ProbePoint UPSTREAM_REQUEST_SENT = ProbePoint.step("upstream-request-sent");
    static final ProbePoint UPSTREAM_RESPONSE_READ = ProbePoint.step("upstream-response-read");
    static final ProbePoint RESPONSE_WRITTEN = ProbePoint.step("response-written");
    static final ProbePoint AUTH = ProbePoint.await("auth");

    static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);

    private RequestWork() {
    }

    /** A client address as a connection would carry it: one object per connection. */
    static InetSocketAddress remote(int n) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 1024 + (n % 64_000));
    }

    /** Registers a task, records six steps (each reading the shard's clock) and finishes it. */
    static long registerSixStepsFinish(TaskShard shard, long connection, InetSocketAddress remote) {
        long t = shard.register(TaskKind.REQUEST, connection, remote, LOCAL);
        shard.step(t, REQUEST_READ);
        shard.step(t, ROUTE_RESOLVED);
        shard.step(t, UPSTREAM_CONNECTED);
        shard.step(t, UPSTREAM_REQUEST_SENT);
        shard.step(t, UPSTREAM_RESPONSE_READ);
        shard.step(t, RESPONSE_WRITTEN);
        shard.finish(t, TaskState.DONE);
        return t;
    }

    /**
     * The same, with the six steps stamped with {@code nanos}, a time the caller read once (an
     * event loop reading the clock once per batch of I/O events).
     */
    static long registerSixStepsFinishPreRead(TaskShard shard, long connection, InetSocketAddress remote, long nanos) {
        long t = shard.register(TaskKind.REQUEST, connection, remote, LOCAL);
        shard.step(t, REQUEST_READ, nanos);
        shard.step(t, ROUTE_RESOLVED, nanos);
        shard.step(t, UPSTREAM_CONNECTED, nanos);
        shard.step(t, UPSTREAM_REQUEST_SENT, nanos);
        shard.step(t, UPSTREAM_RESPONSE_READ, nanos);
        shard.step(t, RESPONSE_WRITTEN, nanos);
        shard.finish(t, TaskState.DONE);
        return t;
    }

    /**
     * One request of the sample router, as its pipeline records it: register, seven steps, a wait
     * on auth that completes with a step, and finish (ten registry calls).
     */
    static long sampleRequest(TaskShard shard, long connection, InetSocketAddress remote) {
        long t = shard.register(TaskKind.REQUEST, connection, remote, LOCAL);
        shard.step(t, REQUEST_READ);
        shard.step(t, ROUTE_RESOLVED);
        shard.step(t, AUTH_REQUESTED);
        shard.await(t, AUTH);
        shard.resume(t, AUTH_COMPLETED);
        shard.step(t, UPSTREAM_CONNECTED);
        shard.step(t, UPSTREAM_REQUEST_SENT);
        shard.step(t, UPSTREAM_RESPONSE_READ);
        shard.step(t, RESPONSE_WRITTEN);
        shard.finish(t, TaskState.DONE);
        return t;
    }

    /**
     * Register, six steps and finish inside one event on the shard's clock: one clock read for the
     * whole request, as the runtime's handlers record a request read and answered in one go.
     */
    static long registerSixStepsFinishInEvent(TaskShard shard, long connection, InetSocketAddress remote) {
        shard.beginEvent();
        try {
            return registerSixStepsFinish(shard, connection, remote);
        } finally {
            shard.endEvent();
        }
    }

    /**
     * One request of the sample router in its three real events: the request read (register,
     * three steps, the wait begins), the auth continuation (resumed, connected, sent), the upstream
     * response (read, written, finish): three clock reads for the ten calls.
     */
    static long sampleRequestInEvents(TaskShard shard, long connection, InetSocketAddress remote) {
        long t;
        shard.beginEvent();
        try {
            t = shard.register(TaskKind.REQUEST, connection, remote, LOCAL);
            shard.step(t, REQUEST_READ);
            shard.step(t, ROUTE_RESOLVED);
            shard.step(t, AUTH_REQUESTED);
            shard.await(t, AUTH);
        } finally {
            shard.endEvent();
        }
        shard.beginEvent();
        try {
            shard.resume(t, AUTH_COMPLETED);
            shard.step(t, UPSTREAM_CONNECTED);
            shard.step(t, UPSTREAM_REQUEST_SENT);
        } finally {
            shard.endEvent();
        }
        shard.beginEvent();
        try {
            shard.step(t, UPSTREAM_RESPONSE_READ);
            shard.step(t, RESPONSE_WRITTEN);
            shard.finish(t, TaskState.DONE);
        } finally {
            shard.endEvent();
        }
        return t;
    }
}
