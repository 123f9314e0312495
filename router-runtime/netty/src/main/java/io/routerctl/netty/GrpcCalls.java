package io.routerctl.netty;

import io.grpc.Context;
import io.grpc.ForwardingServerCallListener;
import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.internal.InternalErrors;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * gRPC-java's calls in the application's terms, on top of the streams {@link Http2StreamListener}
 * makes requests of: the service method a call runs (its implementation class and full method
 * name) as steps, entered and returned, and what a call whose method returned without closing it
 * waits on: a future created while the method ran (watched, so its loss is provable) or else the
 * response observer (not provable: gRPC's own call listener holds the observer while the call is
 * open, so it never becomes unreachable).
 *
 * <p>gRPC runs service methods on its executor, not on the event loop. Two things carry the
 * stream's task there: a {@link ServerStreamTracer.Factory} appended to each server handler's
 * factories makes, on the loop while the stream's HEADERS are dispatched, a tracer that holds the
 * task and puts itself in the call's {@link Context}; a {@link ServerInterceptor}, run first of
 * the server's interceptors, finds it there on the executor and opens a dispatch around
 * {@code startCall}, {@code onMessage} and {@code onHalfClose}, so that futures created by the
 * method are the call's. What it learns is handed to the loop (shards have one writer). Both are
 * put in by reflection into gRPC's own fields ({@code NettyServerHandler.streamTracerFactories},
 * {@code ServerImpl.interceptors}, in gRPC 1.x) and taken out again when tracking stops; if a
 * field is not where this version keeps it, calls stay tracked at the HTTP/2 level.
 *
 * <h2>Allocation and threads</h2>
 * One per tracking, made with the first gRPC connection. Per call: one tracer, one context entry,
 * one listener wrapper, and per callback of the method a dispatch on the executor's thread (taken
 * off the thread again when the callback returns, so that no routerctl class stays reachable from
 * a gRPC thread after a detach); at most one task posted to the loop at a time per call. Fields
 * are patched on the loops; the interceptor and tracer run on gRPC's threads.
 */
final class GrpcCalls {

    private static final Context.Key<Call> CALL = Context.key("routerctl-grpc-call");
    private static final ServerStreamTracer NOT_TRACKED = new ServerStreamTracer() {
    };

    private final NettyTracking tracking;
    private final TracerFactory factory = new TracerFactory();
    private final Interceptor interceptor = new Interceptor();
    /** Server handlers given the factory, until their connection ends or tracking stops. */
    private final Set<ChannelHandler> handlers = Collections.newSetFromMap(new ConcurrentHashMap<>());
    /** gRPC servers given the interceptor, with their method registry. */
    private final Map<Object, HandlerRegistry> servers = Collections.synchronizedMap(new IdentityHashMap<>());
    private final ConcurrentHashMap<String, Points> points = new ConcurrentHashMap<>();
    private volatile String problem;

    GrpcCalls(NettyTracking tracking) {
        this.tracking = tracking;
    }

    /** What went wrong installing, for the status line, or null. */
    String problem() {
        return problem;
    }

    /** Gives {@code handler}'s calls to this tracking. On its connection's loop. */
    void install(ChannelHandler handler) {
        try {
            Field f = field(handler.getClass(), "streamTracerFactories");
            List<?> current = (List<?>) f.get(handler);
            if (!current.contains(factory)) {
                List<Object> with = new ArrayList<>(current);
                with.add(factory);
                f.set(handler, Collections.unmodifiableList(with));
            }
            handlers.add(handler);
            Object listener = field(handler.getClass(), "transportListener").get(handler);
            Object server = field(listener.getClass(), "this$0").get(listener);
            if (!servers.containsKey(server)) {
                Field fi = field(server.getClass(), "interceptors");
                ServerInterceptor[] was = (ServerInterceptor[]) fi.get(server);
                if (!Arrays.asList(was).contains(interceptor)) {
                    ServerInterceptor[] now = Arrays.copyOf(was, was.length + 1);
                    now[was.length] = interceptor; // the last one wraps the others: it runs first
                    fi.set(server, now);
                }
                Object registry = field(server.getClass(), "registry").get(server);
                servers.put(server, registry instanceof HandlerRegistry r ? r : null);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            problem = "gRPC calls tracked as HTTP/2 streams only (" + e + ")";
            InternalErrors.record("grpc tracker", e);
        }
    }

    /** Takes the factory out of {@code handler} (its connection ends, or tracking stops). On its loop. */
    void uninstall(ChannelHandler handler) {
        if (!handlers.remove(handler)) {
            return;
        }
        try {
            Field f = field(handler.getClass(), "streamTracerFactories");
            List<?> current = (List<?>) f.get(handler);
            if (current.contains(factory)) {
                List<Object> without = new ArrayList<>(current);
                without.remove(factory);
                f.set(handler, Collections.unmodifiableList(without));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            InternalErrors.record("grpc tracker", e);
        }
    }

    /** Takes the interceptor out of every server (tracking stops). Any thread. */
    void stop() {
        List<Object> all;
        synchronized (servers) {
            all = new ArrayList<>(servers.keySet());
            servers.clear();
        }
        for (Object server : all) {
            try {
                Field fi = field(server.getClass(), "interceptors");
                ServerInterceptor[] was = (ServerInterceptor[]) fi.get(server);
                List<ServerInterceptor> kept = new ArrayList<>(Arrays.asList(was));
                if (kept.remove(interceptor)) {
                    fi.set(server, kept.toArray(new ServerInterceptor[0]));
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                InternalErrors.record("grpc tracker", e);
            }
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // its superclass, then
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }

    /** The points of a method: named after its implementation class where the registry tells it. */
    private Points points(String fullMethodName) {
        Points p = points.get(fullMethodName);
        if (p == null) {
            if (points.size() >= HandlerPoints.MAX_CLASSES) {
                return new Points(Object.class, fullMethodName);
            }
            p = points.computeIfAbsent(fullMethodName, m -> new Points(implementation(m), m));
        }
        return p;
    }

    /**
     * The application class behind a method: the service implementation of a generated stub's
     * method handlers ({@code serviceImpl}), or the class that defined the method's lambda.
     */
    private Class<?> implementation(String fullMethodName) {
        try {
            List<HandlerRegistry> registries;
            synchronized (servers) {
                registries = new ArrayList<>(servers.values());
            }
            for (HandlerRegistry r : registries) {
                ServerMethodDefinition<?, ?> m = r == null ? null : r.lookupMethod(fullMethodName, null);
                if (m == null) {
                    continue;
                }
                Object handler = m.getServerCallHandler();
                Object method = field(handler.getClass(), "method").get(handler);
                try {
                    return field(method.getClass(), "serviceImpl").get(method).getClass();
                } catch (NoSuchFieldException notGenerated) {
                    return method.getClass().getNestHost();
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // A handler of another shape: named after the method alone.
        }
        return ServerCallHandler.class;
    }

    /** A method's steps and waits: {@code GreeterImpl (example.Greeter/SayHello)}, its observer. */
    static final class Points {
        final HandlerPoints method;
        final ProbePoint observer;

        Points(Class<?> implementation, String fullMethodName) {
            method = HandlerPoints.of(implementation, fullMethodName);
            observer = ProbePoint.observed("response observer of " + HandlerPoints.simpleName(implementation)
                            + " (" + fullMethodName + "), unprovable: gRPC holds it while the call is open",
                    ProbePoint.Kind.AWAIT, implementation.getName());
        }
    }

    /** Made for each stream's call on the loop, while its HEADERS are dispatched. */
    private final class TracerFactory extends ServerStreamTracer.Factory {
        @Override
        public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
            try {
                Dispatch d = Dispatch.ifOpen();
                if (d == null || d.task == TaskShard.NO_TASK || d.context == null || tracking.isClosed()) {
                    return NOT_TRACKED;
                }
                return new Call(d.shard, d.task, d.context, points(fullMethodName));
            } catch (RuntimeException e) {
                InternalErrors.record("grpc tracker", e);
                return NOT_TRACKED;
            }
        }
    }

    /** First of the server's interceptors: the call's method runs inside its dispatch. */
    private final class Interceptor implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            Call c = CALL.get();
            if (c == null || tracking.isClosed()) {
                return next.startCall(call, headers);
            }
            Dispatch d = c.enter();
            ServerCall.Listener<Q> listener;
            try {
                listener = next.startCall(call, headers);
            } finally {
                c.exit(d);
            }
            return new Listener<>(listener, c);
        }
    }

    private static final class Listener<Q> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final Call call;

        Listener(ServerCall.Listener<Q> delegate, Call call) {
            super(delegate);
            this.call = call;
        }

        @Override
        public void onMessage(Q message) {
            Dispatch d = call.enter();
            try {
                super.onMessage(message);
            } finally {
                call.exit(d);
            }
        }

        @Override
        public void onHalfClose() {
            Dispatch d = call.enter();
            try {
                super.onHalfClose();
            } finally {
                call.exit(d);
            }
        }
    }

    /**
     * One call: its stream's task, and what the executor saw last, handed to the loop. Written by
     * gRPC's executor (one callback at a time: gRPC serializes a call's callbacks) and read on the
     * loop; {@link #posted} keeps at most one hand-over queued.
     */
    private final class Call extends ServerStreamTracer implements Runnable {
        private final TaskShard shard;
        private final long task;
        private final ChannelHandlerContext context;
        private final Points points;
        private final AtomicBoolean posted = new AtomicBoolean();
        private volatile long enteredAt;
        private volatile long returnedAt;
        /**
         * The future the method left incomplete, until the loop links it: never held longer, since
         * the call (in gRPC's context) stays reachable while it is open and would keep a dropped
         * future from being collected, and its loss from being proven.
         */
        private final AtomicReference<Object> future = new AtomicReference<>();
        private volatile ProbePoint futurePoint;
        private volatile boolean closed;
        /** On the loop: whether the method's entry was recorded. */
        private boolean enteredRecorded;

        Call(TaskShard shard, long task, ChannelHandlerContext context, Points points) {
            this.shard = shard;
            this.task = task;
            this.context = context;
            this.points = points;
        }

        @Override
        public Context filterContext(Context context) {
            return context.withValue(CALL, this);
        }

        @Override
        public void streamClosed(Status status) {
            closed = true;
        }

        /** Before a callback of the call's listener: a dispatch for the call on this thread. */
        Dispatch enter() {
            try {
                if (enteredAt == 0) {
                    enteredAt = shard.ticker().nanoTime();
                }
                Dispatch d = Dispatch.get();
                if (d.open) {
                    // gRPC's direct executor: on the loop, inside this stream's frame (or another's: left alone).
                    if (d.task != task) {
                        return null;
                    }
                    d.enter(points.method);
                    return d;
                }
                d.open(shard, task, tracking.sites());
                d.enter(points.method);
                return d;
            } catch (RuntimeException | LinkageError e) {
                InternalErrors.record("grpc tracker", e);
                return null;
            }
        }

        /** After the callback: what it left behind, to the loop; the dispatch off this thread. */
        void exit(Dispatch d) {
            if (d == null) {
                return;
            }
            try {
                d.exit();
                Object left = null;
                ProbePoint leftPoint = null;
                for (int i = 0; i < d.futureCount; i++) {
                    if (!ConnectionTracker.isDone(d.futures[i])) {
                        left = d.futures[i];
                        leftPoint = d.futurePoints[i];
                        break;
                    }
                }
                if (left != null) {
                    futurePoint = leftPoint;
                    future.set(left);
                }
                returnedAt = shard.ticker().nanoTime();
                if (context.executor().inEventLoop()) {
                    run();
                } else {
                    d.close(null);
                    Dispatch.removeFromThisThread();
                    if (posted.compareAndSet(false, true)) {
                        context.executor().execute(this);
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                InternalErrors.record("grpc tracker", e);
            }
        }

        /** On the loop: the method's steps, then its wait if the call is still open. */
        @Override
        public void run() {
            posted.set(false);
            if (!shard.isLive(task)) {
                return;
            }
            shard.beginEvent();
            try {
                if (!enteredRecorded) {
                    enteredRecorded = true;
                    shard.step(task, points.method.called, enteredAt);
                }
                shard.step(task, points.method.returned, returnedAt);
                Object f = future.getAndSet(null);
                if (f != null && !ConnectionTracker.isDone(f)) {
                    ConnectionTracker.link(tracking, shard, context, task, f, futurePoint);
                } else if (!closed && !shard.isWaiting(task)) {
                    shard.await(task, points.observer, returnedAt);
                }
            } finally {
                shard.endEvent();
            }
        }
    }
}
