package io.routerctl.agent;

import io.routerctl.netty.hooks.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * The advices the agent inlines into the service's classes. Each only calls {@link Hooks}, which
 * catches its listener's failures; {@code suppress} also drops any failure of the call itself, so
 * the instrumented method behaves exactly as before.
 *
 * <h2>Allocation and threads</h2>
 * None of their own; they run on whichever thread runs the instrumented method.
 */
final class Advices {

    private Advices() {
    }

    /** On {@code DefaultChannelPipeline.fireChannelActive()}: the channel gets its tracker first. */
    static final class ChannelActive {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object pipeline) {
            Hooks.channelActive(pipeline);
        }
    }

    /** On an application handler's {@code channelRead}/{@code channelRead0}. */
    static final class ChannelRead {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object ctx) {
            Hooks.readEnter(ctx);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object ctx, @Advice.Thrown Throwable thrown) {
            Hooks.readExit(ctx, thrown);
        }
    }

    /** On {@code new CompletableFuture()} and Netty's {@code DefaultPromise} constructors. */
    static final class FutureCreated {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object future) {
            Hooks.futureCreated(future);
        }
    }
}
