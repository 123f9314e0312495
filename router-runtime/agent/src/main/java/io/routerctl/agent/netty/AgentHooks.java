package io.routerctl.agent.netty;

import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.Future;
import io.routerctl.agent.hooks.Hooks;
import io.routerctl.netty.PipelineObserver;
import io.routerctl.probes.internal.InternalErrors;

import java.util.concurrent.CompletableFuture;

/**
 * The hooks' listener for one copy of Netty: hands each event of that copy to the Netty
 * integration's {@link PipelineObserver}, and leaves events of another copy (an object that is not
 * of this copy's types) to the next listener.
 *
 * <h2>Allocation and threads</h2>
 * Nothing of its own: one type check per event, then the observer's work (see there). Called on
 * whichever thread runs the instrumented code.
 */
final class AgentHooks implements Hooks.Listener {

    private final PipelineObserver observer;

    AgentHooks(PipelineObserver observer) {
        this.observer = observer;
    }

    @Override
    public boolean serverChannel(Object channel) {
        if (!(channel instanceof ServerChannel server)) {
            return false;
        }
        observer.serverChannelCreated(server);
        return true;
    }

    @Override
    public boolean clientChannel(Object channel) {
        if (!(channel instanceof Channel c)) {
            return false;
        }
        observer.clientChannelCreated(c);
        return true;
    }

    @Override
    public boolean futureCreated(Object future) {
        if (future instanceof CompletableFuture<?> || future instanceof Future<?>
                || PipelineObserver.isPublisher(future)) {
            return observer.futureCreated(future);
        }
        return false;
    }

    @Override
    public boolean threadCreated(Object thread) {
        return thread instanceof Thread t && observer.threadCreated(t);
    }

    @Override
    public void failed(Throwable t) {
        InternalErrors.record("routerctl agent hook", t);
    }
}
