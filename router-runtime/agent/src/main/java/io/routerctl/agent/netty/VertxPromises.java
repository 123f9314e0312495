package io.routerctl.agent.netty;

import io.routerctl.probes.internal.InternalErrors;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.BiConsumer;

/**
 * Vert.x's promises ({@code io.vertx.core.impl.future.PromiseImpl}, both the promise and its
 * future) and the futures its combinators make ({@code compose}, {@code map}, {@code transform},
 * {@code eventually}, {@code otherwise}, {@code expect}: subclasses of its {@code Operation}; and
 * {@code Future.all}/{@code any}/{@code join}'s {@code CompositeFutureImpl}), as waits the Netty
 * integration links like a {@code CompletableFuture}: done when
 * {@code isComplete()}, and a request resumes through a {@code Handler} added with
 * {@code onComplete}, a JDK proxy of Vert.x's interface whose handler is the hooks' relay (so a
 * promise kept past a detach holds nothing of the attach). The promise is its own completer: the
 * route's code holds it only until it returns, listeners hang off it, so it becomes unreachable
 * exactly when whoever would complete it dropped it, and its loss is provable. A combinator's
 * future is held the same way, by the future it waits for: a {@code compose} whose inner future's
 * completer was dropped (made in a callback, after the route's code returned) goes with it. Found
 * by reflection and by name only (the agent never links against Vert.x), called through method
 * handles of Vert.x's public {@code Future} interface, so one lookup serves every class.
 *
 * <h2>Allocation and threads</h2>
 * The methods and the proxy constructor are looked up once per {@code Future} interface (one in
 * practice); per linked promise one proxy. Any thread.
 */
final class VertxPromises {

    static final String PROMISE = "io.vertx.core.impl.future.PromiseImpl";
    static final String OPERATION = "io.vertx.core.impl.future.Operation";
    static final String COMPOSITE = "io.vertx.core.impl.future.CompositeFutureImpl";

    /** Vert.x's {@code Future} interface last seen, and its methods: one in practice. */
    private static volatile Lookup lookup;

    private VertxPromises() {
    }

    /** {@code isComplete}: {@code (Object)boolean}; {@code onComplete}: {@code (Object, Object)void}. */
    private record Lookup(Class<?> future, MethodHandle isComplete, MethodHandle onComplete, Constructor<?> handler) {
    }

    /** Whether {@code o} is a Vert.x promise or a combinator's future. */
    static boolean owns(Object o) {
        if (o == null) {
            return false;
        }
        Class<?> type = o.getClass();
        String name = type.getName();
        if (name.equals(PROMISE) || name.equals(COMPOSITE)) {
            return true;
        }
        Class<?> parent = type.getSuperclass();
        return parent != null && parent.getName().equals(OPERATION);
    }

    static boolean isDone(Object promise) {
        try {
            return (boolean) lookup(promise.getClass()).isComplete().invokeExact(promise);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            InternalErrors.record("vert.x promise", e);
            return true; // unknown: not waited on
        }
    }

    /** Calls {@code then} (an {@link InvocationHandler}: the hooks' relay) when the promise completes. */
    static void whenDone(Object promise, BiConsumer<Object, Throwable> then) {
        if (!(then instanceof InvocationHandler relay)) {
            return;
        }
        try {
            Lookup l = lookup(promise.getClass());
            l.onComplete().invokeExact(promise, (Object) l.handler().newInstance(relay));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            InternalErrors.record("vert.x promise", e);
        }
    }

    /** Vert.x's {@code io.vertx.core.Future} among the interfaces of {@code type}, or null. */
    private static Class<?> future(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                Class<?> found = i.getName().equals("io.vertx.core.Future") ? i : future(i);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Lookup lookup(Class<?> type) throws ReflectiveOperationException {
        Lookup l = lookup;
        if (l == null || !l.future().isAssignableFrom(type)) {
            Class<?> future = future(type); // the public API: the implementation's class may not be public
            if (future == null) {
                throw new NoSuchMethodException(type.getName() + " is no io.vertx.core.Future");
            }
            Method isComplete = future.getMethod("isComplete");
            Method onComplete = null;
            for (Method m : future.getMethods()) {
                if (m.getName().equals("onComplete") && m.getParameterCount() == 1
                        && m.getParameterTypes()[0].getName().equals("io.vertx.core.Handler")) {
                    onComplete = m;
                    break;
                }
            }
            if (onComplete == null) {
                throw new NoSuchMethodException(type.getName() + ".onComplete(Handler)");
            }
            Class<?> handler = onComplete.getParameterTypes()[0];
            Constructor<?> proxy = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
                    (p, m, args) -> null).getClass().getConstructor(InvocationHandler.class);
            // Method handles, not Method.invoke: reflection's shared call path stays the service's own.
            MethodHandles.Lookup pub = MethodHandles.publicLookup();
            l = new Lookup(future, pub.unreflect(isComplete).asType(MethodType.methodType(boolean.class, Object.class)),
                    pub.unreflect(onComplete).asType(MethodType.methodType(void.class, Object.class, Object.class)),
                    proxy);
            lookup = l;
        }
        return l;
    }
}
