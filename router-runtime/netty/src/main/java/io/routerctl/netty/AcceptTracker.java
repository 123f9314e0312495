package io.routerctl.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.routerctl.probes.internal.InternalErrors;

/**
 * First in a server channel's pipeline: every channel it accepts gets a {@link ConnectionTracker}
 * first in its pipeline before it is registered, whoever made the server channel (Netty's
 * {@code ServerBootstrap}, or a framework's own acceptor, as Reactor Netty's). That is how the agent
 * tracks the connections a service accepts after the attach, without changing a class of the
 * service or of Netty's hot paths.
 *
 * <h2>Allocation and threads</h2>
 * One per server channel. Per accepted channel one {@link ConnectionTracker}. Runs on the server
 * channel's loop.
 */
@ChannelHandler.Sharable
final class AcceptTracker extends ChannelInboundHandlerAdapter {

    private final NettyTracking tracking;

    AcceptTracker(NettyTracking tracking) {
        this.tracking = tracking;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof Channel child) {
            try {
                tracking.install(child, false);
            } catch (RuntimeException | LinkageError e) {
                InternalErrors.record("netty accept tracker", e);
            }
        }
        ctx.fireChannelRead(msg);
    }
}
