package com.example.embedded;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A service's own handler, as a team writes one: it keeps each message and makes something to
 * answer it later (a future, a promise), which it hands to {@code made} (the test's stand-in for the agent's observation of a new future); or it only drops the
 * message. In a package of its own, as the service's code is.
 */
public final class Holding extends ChannelInboundHandlerAdapter {

    private final Function<ChannelHandlerContext, Object> make;
    private final Consumer<Object> observer;
    /** What it made, oldest first. */
    public final java.util.List<Object> made = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Holding(Function<ChannelHandlerContext, Object> make, Consumer<Object> made) {
        this.make = make;
        this.observer = made;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        if (make != null) {
            Object f = make.apply(ctx);
            this.made.add(f);
            observer.accept(f);
        }
    }
}
