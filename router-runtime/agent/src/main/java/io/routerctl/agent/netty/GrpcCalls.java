package io.routerctl.agent.netty;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2Stream;
import io.routerctl.agent.hooks.Hooks;
import io.routerctl.netty.HandOff;
import io.routerctl.netty.NettyTracking;
import io.routerctl.probes.internal.InternalErrors;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * gRPC-java's calls in the service's terms, on top of the HTTP/2 streams the Netty integration
 * makes requests of: each call's service method ({@code RatesService (example.Rates/Quote)}) is a
 * step, entered and returned, and a call whose method returned without closing it waits on what
 * the method left: a future (linked, its loss provable) or else its response observer, which
 * cannot be proven lost (gRPC's own call listener holds the observer while the call is open, so
 * it never becomes unreachable) and says so: {@code response observer of RatesService
 * (example.Rates/Watch), unprovable}.
 *
 * <p>For each gRPC server handler ({@code NettyServerHandler}, plain or relocated) of a tracked
 * connection it appends the agent's shim tracer factory to the handler's
 * {@code streamTracerFactories}, and puts the shim interceptor last in its server's
 * {@code interceptors} (the last wraps the others: it runs first), by reflection into gRPC's own
 * fields (gRPC 1.x); both come out again when the connection stops being tracked or tracking stops.
 * The shim relays to this class through the {@link Hooks} ({@link #started}); see
 * {@code io.routerctl.agent.grpc.GrpcShim}. If a field is not where this version keeps it, calls
 * stay tracked as HTTP/2 streams and the reason is kept for the status line.
 *
 * <h2>Allocation and threads</h2>
 * One per tracked copy of Netty. Per call: one {@link Tracked}, which its stream's state keeps
 * alive while the call is open (the shim holds it only weakly). Patches on the
 * loops; calls start on the loops and run on gRPC's executor (see {@link HandOff}).
 */
final class GrpcCalls implements NettyTracking.CodecWatcher, Hooks.HandOffStarter {

    static final String SERVER_HANDLER = "io.grpc.netty.NettyServerHandler";
    static final String OBSERVER_WAIT = "response observer of %s (%s), unprovable";

    private volatile NettyTracking tracking;
    private final Set<ChannelHandler> handlers = ConcurrentHashMap.newKeySet();
    /** gRPC servers given the interceptor, with their method registry. */
    private final Map<Object, Object> servers = Collections.synchronizedMap(new IdentityHashMap<>());
    private final ConcurrentHashMap<String, HandOff.Points> points = new ConcurrentHashMap<>();
    private volatile String problem;

    /** The tracking whose calls these are (set once it started, before any channel is tracked). */
    void tracking(NettyTracking t) {
        this.tracking = t;
    }

    /** Why gRPC's calls are tracked as streams only, or null. */
    String problem() {
        return problem;
    }

    @Override
    public void found(ChannelHandler codec) {
        if (!codec.getClass().getName().endsWith(SERVER_HANDLER)) {
            return;
        }
        try {
            ClassLoader api = Class.forName("io.grpc.ServerInterceptor", false, codec.getClass().getClassLoader())
                    .getClassLoader();
            Object[] shim = (Object[]) Hooks.shim(api);
            if (shim == null) {
                problem = "gRPC calls tracked as HTTP/2 streams only (no shim for gRPC's class loader)";
                return;
            }
            Field f = field(codec.getClass(), "streamTracerFactories");
            List<?> current = (List<?>) f.get(codec);
            if (current.stream().noneMatch(GrpcCalls::isShim)) {
                List<Object> with = new ArrayList<>(current);
                with.add(shim[0]);
                f.set(codec, Collections.unmodifiableList(with));
            }
            handlers.add(codec);
            Object listener = field(codec.getClass(), "transportListener").get(codec);
            Object server = field(listener.getClass(), "this$0").get(listener);
            synchronized (servers) {
                if (!servers.containsKey(server)) {
                    Field fi = field(server.getClass(), "interceptors");
                    Object[] was = (Object[]) fi.get(server);
                    if (Arrays.stream(was).noneMatch(GrpcCalls::isShim)) {
                        Object[] now = (Object[]) Array.newInstance(was.getClass().getComponentType(), was.length + 1);
                        System.arraycopy(was, 0, now, 0, was.length);
                        now[was.length] = shim[1];
                        fi.set(server, now);
                    }
                    servers.put(server, field(server.getClass(), "registry").get(server));
                }
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            problem = "gRPC calls tracked as HTTP/2 streams only (" + e + ")";
            InternalErrors.record("grpc tracker", e);
        }
    }

    @Override
    public void ended(ChannelHandler codec) {
        if (!handlers.remove(codec)) {
            return;
        }
        try {
            Field f = field(codec.getClass(), "streamTracerFactories");
            List<?> current = (List<?>) f.get(codec);
            List<Object> without = new ArrayList<>();
            for (Object factory : current) {
                if (!isShim(factory)) {
                    without.add(factory);
                }
            }
            if (without.size() != current.size()) {
                f.set(codec, Collections.unmodifiableList(without));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            InternalErrors.record("grpc tracker", e);
        }
    }

    @Override
    public void stopped() {
        List<Object> all;
        synchronized (servers) {
            all = new ArrayList<>(servers.keySet());
            servers.clear();
        }
        for (Object server : all) {
            try {
                Field fi = field(server.getClass(), "interceptors");
                Object[] was = (Object[]) fi.get(server);
                List<Object> kept = new ArrayList<>();
                for (Object i : was) {
                    if (!isShim(i)) {
                        kept.add(i);
                    }
                }
                if (kept.size() != was.length) {
                    fi.set(server, kept.toArray((Object[]) Array.newInstance(was.getClass().getComponentType(), 0)));
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                InternalErrors.record("grpc tracker", e);
            }
        }
    }

    /**
     * The full method name of a call whose stream was open before the attach: from the stream's
     * state that gRPC's handler keeps as a stream property, through the listener gRPC's server
     * gave it, to the call and its method descriptor. {@code null} when any link is missing (the
     * call was not started yet, or another gRPC version keeps it elsewhere): the request then
     * reads "read before attach".
     */
    @Override
    public String openStreamLabel(ChannelHandler codec, Http2Stream stream) {
        if (!codec.getClass().getName().endsWith(SERVER_HANDLER)) {
            return null;
        }
        try {
            Object key = field(codec.getClass(), "streamKey").get(codec);
            Object state = stream.getProperty((Http2Connection.PropertyKey) key);
            Object jump = state == null ? null : field(state.getClass(), "listener").get(state);
            Object listener = jump == null ? null : field(jump.getClass(), "listener").get(jump);
            Object call = listener == null ? null : field(listener.getClass(), "call").get(listener);
            if (call == null) {
                return null;
            }
            ClassLoader grpc = call.getClass().getClassLoader();
            Object method = Class.forName("io.grpc.ServerCall", false, grpc).getMethod("getMethodDescriptor").invoke(call);
            Object name = Class.forName("io.grpc.MethodDescriptor", false, grpc).getMethod("getFullMethodName")
                    .invoke(method);
            return name instanceof String s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static boolean isShim(Object o) {
        return o.getClass().getName().startsWith("io.routerctl.agent.grpc.");
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

    @Override
    public Hooks.HandedOff started(String fullMethodName) {
        NettyTracking t = tracking;
        if (t == null) {
            return null;
        }
        Tracked call = new Tracked(t, points(fullMethodName));
        if (!call.isTracked()) {
            return null;
        }
        return call;
    }

    private HandOff.Points points(String fullMethodName) {
        HandOff.Points p = points.get(fullMethodName);
        if (p == null) {
            Class<?> impl = implementation(fullMethodName);
            p = HandOff.points(impl, fullMethodName,
                    String.format(OBSERVER_WAIT, HandOff.simpleName(impl), fullMethodName));
            if (points.size() < 4096) {
                points.putIfAbsent(fullMethodName, p);
            }
        }
        return p;
    }

    /**
     * The application class behind a method: the service implementation of a generated stub's
     * method handlers ({@code serviceImpl}), or the class that defined the method's lambda; gRPC's
     * {@code ServerCallHandler} when neither can be told.
     */
    private Class<?> implementation(String fullMethodName) {
        List<Object> registries;
        synchronized (servers) {
            registries = new ArrayList<>(servers.values());
        }
        for (Object registry : registries) {
            try {
                Method lookup = Class.forName("io.grpc.HandlerRegistry", false, registry.getClass().getClassLoader())
                        .getMethod("lookupMethod", String.class, String.class);
                Object definition = lookup.invoke(registry, fullMethodName, null);
                if (definition == null) {
                    continue;
                }
                Object handler = definition.getClass().getMethod("getServerCallHandler").invoke(definition);
                Object method = field(handler.getClass(), "method").get(handler);
                try {
                    return field(method.getClass(), "serviceImpl").get(method).getClass();
                } catch (NoSuchFieldException notGenerated) {
                    return method.getClass().getNestHost();
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // a handler of another shape
            }
        }
        return Object.class;
    }

    /** A call of this tracking, as the shim sees it. */
    private final class Tracked extends HandOff.Call implements Hooks.HandedOff {
        Tracked(NettyTracking tracking, HandOff.Points points) {
            super(tracking, points);
        }

        @Override
        public Object entering() {
            return enter();
        }

        @Override
        public void returned(Object token) {
            exit(token);
        }


    }
}
