package io.routerctl.agent.netty;

import io.routerctl.netty.PipelineObserver;
import io.routerctl.probes.ProbePoint;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names, in the application's terms, the framework objects through which a framework runs the
 * application's code for a request, as steps: {@code QuoteController.quote (controller)} for a
 * Spring handler method, {@code Routes lambda (router function)}, {@code AuditFilter (web filter)},
 * {@code route /prices/:symbol (PriceRoutes lambda)} for a Vert.x route, {@code route
 * /quotes/{symbol}} for a Reactor Netty one. Read by reflection on the
 * frameworks' public methods (the agent is compiled against neither), by class name, so any
 * version that keeps those names is understood and any other is named by its class.
 *
 * <h2>Allocation and threads</h2>
 * A step point per handler method, route or class, made on first sight and kept (at most
 * {@link #MAX_POINTS}; past it a generic point per kind); after that a lookup allocates nothing
 * but, for a handler method, one method-handle call to find its {@code Method}. Any thread.
 */
final class CodeSteps {

    static final int MAX_POINTS = 4096;
    private static final ConcurrentHashMap<Object, ProbePoint> POINTS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Class<?>, Kind> KINDS = new ConcurrentHashMap<>();
    private static final ProbePoint OTHER = ProbePoint.observed("application code", ProbePoint.Kind.STEP, "");

    private CodeSteps() {
    }

    /** What a framework object is, by the names of its class and super types. */
    private enum Kind {
        CONTROLLER("controller"), ROUTER_FUNCTION("router function"), WEB_FILTER("web filter"), ROUTE("route"),
        HANDLER("handler");

        final String said;

        Kind(String said) {
            this.said = said;
        }
    }

    /** The step for {@code what}, or a generic one if it cannot be named. */
    static ProbePoint point(Object what) {
        if (what == null) {
            return OTHER;
        }
        Kind kind = KINDS.get(what.getClass());
        if (kind == null) {
            kind = KINDS.size() < MAX_POINTS ? KINDS.computeIfAbsent(what.getClass(), CodeSteps::kind) : kind(what.getClass());
        }
        Object key = switch (kind) {
            case CONTROLLER -> call(what, "getMethod");
            case ROUTE -> what;
            default -> what.getClass();
        };
        if (key == null) {
            key = what.getClass();
        }
        ProbePoint p = POINTS.get(key);
        if (p == null) {
            if (POINTS.size() >= MAX_POINTS) {
                return OTHER;
            }
            Kind k = kind;
            Object from = what;
            p = POINTS.computeIfAbsent(key, x -> name(k, from));
        }
        return p;
    }

    private static Kind kind(Class<?> type) {
        if (is(type, "org.springframework.web.method.HandlerMethod")) {
            return Kind.CONTROLLER;
        }
        if (is(type, "org.springframework.web.reactive.function.server.HandlerFunction")) {
            return Kind.ROUTER_FUNCTION;
        }
        if (is(type, "org.springframework.web.server.WebFilter")) {
            return Kind.WEB_FILTER;
        }
        if (type.getName().equals("io.vertx.ext.web.impl.RouteState")
                || type.getName().equals("reactor.netty.http.server.DefaultHttpServerRoutes$HttpRouteHandler")) {
            return Kind.ROUTE;
        }
        return Kind.HANDLER;
    }

    private static ProbePoint name(Kind kind, Object what) {
        String label;
        String where;
        switch (kind) {
            case CONTROLLER -> {
                Object method = call(what, "getMethod");
                Object bean = call(what, "getBeanType");
                if (method instanceof Method m) {
                    Class<?> type = bean instanceof Class<?> c ? c : m.getDeclaringClass();
                    label = simpleName(type) + "." + m.getName() + " (controller)";
                    where = type.getName() + "." + m.getName();
                } else {
                    label = simpleName(what.getClass()) + " (controller)";
                    where = what.getClass().getName();
                }
            }
            case ROUTE -> {
                Object path = call(what, "getPath");
                Class<?> handler = routeHandler(what);
                label = "route " + (path instanceof String s ? clip(s, 60) : "*")
                        + (handler == null ? "" : " (" + simpleName(handler) + ")");
                where = handler == null ? what.getClass().getName() : handler.getName();
            }
            default -> {
                label = simpleName(what.getClass()) + " (" + kind.said + ")";
                where = what.getClass().getName();
            }
        }
        return ProbePoint.observed(label, ProbePoint.Kind.STEP, where);
    }

    /** The route's first handler of the application's (not Vert.x's), else its first; null if none. */
    private static Class<?> routeHandler(Object route) {
        if (!(call(route, "getContextHandlers") instanceof List<?> handlers) || handlers.isEmpty()) {
            return null;
        }
        for (Object h : handlers) {
            if (h != null && !h.getClass().getName().startsWith("io.vertx.")) {
                return h.getClass();
            }
        }
        return handlers.get(0) == null ? null : handlers.get(0).getClass();
    }

    /** Whether {@code type}, a super class or an interface of either is named {@code name}. */
    private static boolean is(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name)) {
                return true;
            }
            for (Class<?> i : c.getInterfaces()) {
                if (is(i, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final ConcurrentHashMap<Class<?>, ConcurrentHashMap<String, Optional<MethodHandle>>> GETTERS =
            new ConcurrentHashMap<>();
    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);

    /**
     * {@code what.name()} on a public method, or null: through a method handle made once per class
     * and name, never {@code Method.invoke}, whose shared call path a Spring app runs each
     * controller through (a call of ours there, per request, costs the JIT that call's inlining).
     */
    private static Object call(Object what, String name) {
        try {
            Class<?> type = what.getClass();
            ConcurrentHashMap<String, Optional<MethodHandle>> byName = GETTERS.get(type);
            if (byName == null) {
                byName = GETTERS.computeIfAbsent(type, c -> new ConcurrentHashMap<>(4));
            }
            Optional<MethodHandle> m = byName.get(name); // no capturing lambda per call: this runs per request
            if (m == null) {
                m = getter(type, name);
                byName.putIfAbsent(name, m);
            }
            return m.isEmpty() ? null : (Object) m.get().invokeExact(what);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) { // what the getter threw, a linkage error: unnamed
            return null;
        }
    }

    private static Optional<MethodHandle> getter(Class<?> type, String name) {
        try {
            Method found = type.getMethod(name);
            found.trySetAccessible(); // a public method of a framework's non-public class
            return Optional.of(MethodHandles.lookup().unreflect(found).asType(GETTER));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A class's name as a person reads it: {@code QuoteController}, and {@code Routes lambda} for
     * a lambda's generated class.
     */
    static String simpleName(Class<?> type) {
        String n = type.getName();
        int lambda = n.indexOf("$$Lambda");
        if (lambda > 0) {
            n = n.substring(0, lambda) + " lambda";
        }
        return clip(n.substring(n.lastIndexOf('.', lambda > 0 ? lambda : n.length()) + 1), 60);
    }

    private static String clip(String s, int max) {
        return PipelineObserver.printable(s, max);
    }
}
