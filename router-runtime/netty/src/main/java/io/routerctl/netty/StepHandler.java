package io.routerctl.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Put right before one of the service's own inbound handlers: records that the handler was
 * called for the message being dispatched ({@code TicketHandler (ticket)}) and that it returned
 * ({@code TicketHandler (ticket) returned}; a framework's handler does not for the content that
 * follows a request's head, see {@link Dispatch#continuation}), and keeps the loop's {@link Dispatch} knowing which
 * handler runs, so that a future created meanwhile is attributed to it. It is ordinary Netty code in
 * the pipeline: the service's classes are not changed.
 *
 * <p>The handler's {@code channelRead} runs inside this one's {@code fireChannelRead}, so "returned"
 * means what it says: the handler, and whatever it called synchronously, has finished with the
 * message. (An exception a handler throws is caught by Netty and handed to its
 * {@code exceptionCaught}; the handler has still returned to the pipeline.)
 *
 * <h2>Allocation and threads</h2>
 * One per wrapped handler per pipeline, made when its connection is tracked; per message nothing.
 * Runs on the channel's loop; outside a tracked dispatch it only passes the message on.
 */
final class StepHandler extends ChannelInboundHandlerAdapter {

    /** Pipeline names of step handlers start with this, followed by the wrapped handler's name. */
    static final String PREFIX = "routerctl-step:";

    final HandlerPoints points;
    final NettyTracking tracking;

    StepHandler(NettyTracking tracking, HandlerPoints points) {
        this.tracking = tracking;
        this.points = points;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        Dispatch d = Dispatch.ifOpen();
        if (d == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean again = d.current() == points; // a handler wrapped twice, or re-entered
        boolean quiet = points.framework && d.continuation;
        d.enter(points);
        if (!again && !quiet) {
            d.shard.step(d.task, points.called);
        }
        try {
            ctx.fireChannelRead(msg);
        } finally {
            d.exit();
            if (d.leaf == null) {
                d.leaf = points;
                if (!quiet) {
                    d.shard.step(d.task, points.returned);
                }
            }
        }
    }

    @Override
    public boolean isSharable() {
        return false;
    }
}
