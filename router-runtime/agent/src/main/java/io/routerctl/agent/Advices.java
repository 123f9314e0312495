package io.routerctl.agent;

import io.routerctl.agent.hooks.Hooks;
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

    /** On the constructors of Netty's server channel classes: what the channel accepts is tracked. */
    static final class ServerChannelCreated {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object channel) {
            Hooks.serverChannel(channel);
        }
    }

    /** On {@code Bootstrap.init(Channel)}: a client channel, initialized and not yet registered, is tracked. */
    static final class ClientChannelInitialized {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object channel) {
            Hooks.clientChannel(channel);
        }
    }

    /**
     * On Netty's {@code EventExecutor.newPromise()} (in {@code AbstractEventExecutor}): the promise it
     * returns. Netty's promises are observed here rather than in {@code DefaultPromise}'s
     * constructors: HotSpot keeps the metaspace of every version of {@code DefaultPromise} that a
     * detach replaces (about 30 KB per attach and detach, measured on JDK 17), and none of this one's.
     */
    static final class FutureReturned {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return Object future) {
            Hooks.futureCreated(future);
        }
    }

    /**
     * On the JDK's {@code ThreadBuilders.newVirtualThread} (JDK 21 and later), where every virtual
     * thread is made ({@code Thread.startVirtualThread}, {@code Thread.ofVirtual()}, the
     * virtual-thread-per-task executor): a virtual thread made while a request is dispatched does
     * that request's work. Observed there rather than in {@code Thread} or {@code VirtualThread},
     * whose methods are on every thread's stack: HotSpot would keep each retransformed version of
     * them for as long as a thread that ran it lives.
     */
    static final class ThreadCreated {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return Object thread) {
            Hooks.threadCreated(thread);
        }
    }

    /**
     * On the constructor of Reactor's {@code MonoCreate} ({@code Mono.create}): the callback it
     * keeps becomes the one {@link Hooks#sinkCallback} gives (the same one outside a tracked
     * request's dispatch).
     */
    static final class SinkCallbackKept {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object publisher,
                         @Advice.FieldValue(value = "callback", readOnly = false,
                                 typing = net.bytebuddy.implementation.bytecode.assign.Assigner.Typing.DYNAMIC)
                         Object callback) {
            callback = Hooks.sinkCallback(publisher, callback);
        }
    }

    /** On {@code new CompletableFuture()}, and Reactor's {@code SinkOneMulticast} (and {@code MonoCreate} with older hooks). */
    static final class FutureCreated {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object future) {
            Hooks.futureCreated(future);
        }
    }
}
