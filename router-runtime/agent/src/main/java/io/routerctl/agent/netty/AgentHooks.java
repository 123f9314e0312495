package io.routerctl.agent.netty;

import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.Future;
import io.routerctl.agent.hooks.Hooks;
import io.routerctl.netty.NettyTracking;
import io.routerctl.netty.PipelineObserver;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.internal.InternalErrors;

import java.lang.ref.WeakReference;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;

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

    private static final String MANY = "reactor.core.publisher.Sinks$Many";

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
                || PipelineObserver.isPublisher(future) || VertxPromises.owns(future)) {
            return observer.futureCreated(future);
        }
        return false;
    }

    @Override
    public boolean threadCreated(Object thread) {
        return thread instanceof Thread t && observer.threadCreated(t);
    }

    /** A framework entering the application's code: a step of the request dispatched here, named by {@link CodeSteps}. */
    @Override
    public boolean codeStep(Object what) {
        return observer.step(what, CodeSteps::point);
    }

    /**
     * A {@code Mono.create} made during a tracked request's dispatch keeps, instead of its callback,
     * one that hands the application a delegate of Reactor's sink (see {@link Hooks#sinkCallback}),
     * if it is subscribed within the dispatch: the request then waits on the delegate, provably.
     */
    @Override
    @SuppressWarnings("unchecked")
    public Object sinkCallback(Object publisher, Object callback) {
        if (!(callback instanceof Consumer<?>) || !PipelineObserver.isPublisher(publisher)) {
            return null;
        }
        Object site = observer.publisherSite(publisher);
        return site instanceof ProbePoint p ? Hooks.sinkCallback((Consumer<Object>) callback, subscribedRef, p.id())
                : null;
    }

    /**
     * A {@code Sinks.one()} made during a tracked request's dispatch, whose publisher the request
     * waits on, or a {@code Sinks.many()} made during one: the application gets a delegate of the
     * sink, on which the request then waits, provably (see {@link PipelineObserver#sinkMade} and
     * {@link PipelineObserver#sinkManyMade}). Else null: the sink itself goes.
     */
    @Override
    public Object sinkMade(Object sink) {
        if (sinkInterface(sink.getClass(), MANY) != null) {
            return observer.sinkManyMade(sink, AgentHooks::delegateOfMany);
        }
        return observer.sinkMade(sink, AgentHooks::delegateOfOne);
    }

    private static Object delegateOfMany(Object sink) {
        Class<?> api = sinkInterface(sink.getClass(), MANY);
        return api == null ? null : Hooks.delegateSink(sink, api);
    }

    private static Object delegateOfOne(Object sink) {
        Class<?> api = sinkInterface(sink.getClass(), "reactor.core.publisher.Sinks$One");
        return api == null ? null : Hooks.delegateSink(sink, api);
    }

    /** At subscription: a delegate of Reactor's sink if the request takes it, else null (the sink itself goes). */
    private final BiFunction<Object, Integer, Object> subscribed = this::subscribed;
    /** What every callback made while attached holds: the hooks' listener alone holds {@link #subscribed}. */
    private final WeakReference<BiFunction<Object, Integer, Object>> subscribedRef = new WeakReference<>(subscribed);

    private Object subscribed(Object sink, Integer site) {
        Class<?> api = sinkInterface(sink.getClass());
        ProbePoint point = ProbePoint.byId(site);
        if (api == null || point == null) {
            return null;
        }
        Object delegate = Hooks.delegateSink(sink, api);
        return observer.sinkSubscribed(delegate, point) ? delegate : null;
    }

    /** Reactor's {@code MonoSink} or {@code FluxSink} among the interfaces of {@code type} and its superclasses, or null. */
    static Class<?> sinkInterface(Class<?> type) {
        Class<?> mono = sinkInterface(type, "reactor.core.publisher.MonoSink");
        return mono != null ? mono : sinkInterface(type, "reactor.core.publisher.FluxSink");
    }

    /** The interface named {@code name} that {@code type} implements, directly or through another, or null. */
    static Class<?> sinkInterface(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Class<?> found = among(c.getInterfaces(), name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Class<?> among(Class<?>[] interfaces, String name) {
        for (Class<?> i : interfaces) {
            if (i.getName().equals(name)) {
                return i;
            }
            Class<?> inner = among(i.getInterfaces(), name);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    /** The delegates of Reactor sinks and Vert.x's promises, as waits the Netty integration links. */
    static final NettyTracking.SignalWaits SINK_WAITS = new NettyTracking.SignalWaits() {
        @Override
        public boolean owns(Object o) {
            if (VertxPromises.owns(o)) {
                return true;
            }
            try {
                return Hooks.isDelegateSink(o);
            } catch (LinkageError olderHooks) {
                return false;
            }
        }

        @Override
        public boolean isDone(Object o) {
            return VertxPromises.owns(o) ? VertxPromises.isDone(o) : Hooks.isSignalled(o);
        }

        @Override
        public void whenDone(Object o, BiConsumer<Object, Throwable> then) {
            if (VertxPromises.owns(o)) {
                VertxPromises.whenDone(o, then);
            } else {
                Hooks.whenSignalled(o, then);
            }
        }
    };

    @Override
    public void failed(Throwable t) {
        InternalErrors.record("routerctl agent hook", t);
    }
}
