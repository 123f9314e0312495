package com.example.embedded;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A service's own handler that answers each message through a chain of two stages, as
 * {@code first.thenCompose(...)} makes them: a first future, then a second that only the first's
 * completion would go on to; both made while it handles the message and handed to {@code made}
 * (the test's stand-in for the agent's observation of a new future). In a package of its own, as
 * the service's code is.
 */
public final class Chaining extends ChannelInboundHandlerAdapter {

    private final Consumer<Object> observer;
    public final List<CompletableFuture<String>> firsts = new CopyOnWriteArrayList<>();
    public final List<CompletableFuture<String>> seconds = new CopyOnWriteArrayList<>();

    public Chaining(Consumer<Object> made) {
        this.observer = made;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        CompletableFuture<String> first = new CompletableFuture<>();
        firsts.add(first);
        observer.accept(first);
        CompletableFuture<String> second = new CompletableFuture<>();
        seconds.add(second);
        observer.accept(second);
    }
}
