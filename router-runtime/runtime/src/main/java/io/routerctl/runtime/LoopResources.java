package io.routerctl.runtime;

import io.netty.channel.EventLoop;
import io.routerctl.netty.NettyTracking;
import io.routerctl.probes.TaskShard;

/**
 * What one event loop owns: its shard of the registry and its upstream client. Created once per
 * loop at start; immutable references afterwards.
 *
 * <h2>Thread safety</h2>
 * Fields are final; the shard and the upstream client are for the loop's own thread only.
 */
final class LoopResources {
    final int index;
    final EventLoop eventLoop;
    final TaskShard shard;
    final StepTracer tracer;
    final RequestHandler handler;
    final UpstreamClient upstream;
    final int maxContentLength;
    /** The library integration whose trackers register this loop's connections and requests. */
    final NettyTracking tracking;

    LoopResources(int index, EventLoop eventLoop, TaskShard shard, StepTracer tracer, RequestHandler handler,
                  UpstreamClient upstream, int maxContentLength, NettyTracking tracking) {
        this.index = index;
        this.eventLoop = eventLoop;
        this.shard = shard;
        this.tracer = tracer;
        this.handler = handler;
        this.upstream = upstream;
        this.maxContentLength = maxContentLength;
        this.tracking = tracking;
        tracking.adopt(eventLoop, shard);
    }
}
