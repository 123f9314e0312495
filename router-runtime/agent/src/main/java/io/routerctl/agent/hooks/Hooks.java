package io.routerctl.agent.hooks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Where the calls the routerctl agent inserts arrive: one static method per observed event, each a no-op
 * until a {@link Listener} is set, each catching and counting its listener's failures so that the
 * instrumented code (Netty's pipeline, {@code CompletableFuture}'s constructor) never sees one.
 *
 * <p>The agent defines this class in the bootstrap class loader from its bytes (it is never on a
 * class path), so that calls inserted into any class, {@code java.util.concurrent.CompletableFuture}
 * included, reach the same one. It may refer to nothing but {@code java.base}. It outlives every
 * attach: detach sets the listeners to none, and the class stays, inert.
 *
 * <p>Several listeners may be set at once, one per copy of Netty in the process (a service's own
 * Netty and, say, the one relocated inside {@code grpc-netty-shaded}). Each listener handles only
 * objects of its own copy and says so by its return value; the first that handles an event ends
 * its delivery.
 *
 * <h2>Hot path</h2>
 * Every method: one volatile read of the listener array, then one call per listener until one
 * handles the event (in practice one or two). Allocates nothing. Called by whichever thread runs
 * the instrumented code; the listener decides what to do on which thread.
 */
public final class Hooks {

    /** What the agent's instrumentation of one Netty copy does on each event. */
    public interface Listener {
        /** A server channel was made (its constructor returned). True if it was this listener's copy's. */
        boolean serverChannel(Object channel);

        /** A client channel was made and initialized, not yet registered. True if it was this listener's. */
        boolean clientChannel(Object channel);

        /** A {@code CompletableFuture} or a Netty promise was just made. True if handled. */
        boolean futureCreated(Object future);

        /**
         * A virtual thread was made (to be started at once, by an executor or the JDK's builders), on
         * the thread that made it. True if this listener's copy was dispatching there.
         */
        default boolean threadCreated(Object thread) {
            return false;
        }

        /**
         * Reactor's {@code MonoCreate} {@code publisher} was just made with {@code callback}: the
         * callback it should keep instead (a {@link #sinkCallback}), or null to leave it as it is.
         */
        default Object sinkCallback(Object publisher, Object callback) {
            return null;
        }

        /**
         * A {@code Sinks.one()} is being returned: a delegate of it for the application to hold
         * instead, or null to leave it as it is.
         */
        default Object sinkMade(Object sink) {
            return null;
        }

        /**
         * A framework is about to run the application's code for the request being dispatched on
         * this thread: {@code what} is the framework's object for it (a controller's handler
         * method, a route, a filter). True if this listener's copy was dispatching there.
         */
        default boolean codeStep(Object what) {
            return false;
        }

        /** A call above threw {@code t}; counted already. Must not throw. */
        void failed(Throwable t);
    }

    /**
     * A request's work that a framework runs on a thread of its own (gRPC's executor): a call whose
     * callbacks run there. The framework side holds it only weakly (its holder's class is
     * routerctl's shim, never unloaded); the tracking that made it keeps it until {@link #closed}.
     */
    public interface HandedOff {
        /** Before one of its callbacks, on the thread that runs it; what {@link #returned} gets. */
        Object entering();

        /** After that callback (also when it threw). */
        void returned(Object token);

        /** The call is over (its stream closed). Any thread. */
        void closed();
    }

    /** Makes a {@link HandedOff} for a call a framework starts now, on this thread, if it is tracked. */
    public interface HandOffStarter {
        /** The call {@code name} starts here (an event loop, inside its stream's dispatch); null if not tracked. */
        HandedOff started(String name);
    }

    private static final HandOffStarter[] NO_STARTERS = new HandOffStarter[0];
    private static volatile HandOffStarter[] handOffs = NO_STARTERS;
    /** The agent's shims of a framework, by the class loader of its API (set once; the agent's own code). */
    private static volatile Function<ClassLoader, Object> shims;

    private static final Listener[] NONE = new Listener[0];
    private static volatile Listener[] listeners = NONE;
    private static volatile Function<Object, Listener> starter;
    private static final AtomicLong FAILURES = new AtomicLong();

    private Hooks() {
    }

    /** Adds a listener; any thread. */
    public static synchronized void add(Listener l) {
        Listener[] now = listeners;
        Listener[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = l;
        listeners = next;
    }

    /** Removes every listener and the starter: the inserted calls do nothing from now on. Any thread. */
    public static synchronized void clear() {
        listeners = NONE;
        starter = null;
        handOffs = NO_STARTERS;
    }

    /** Adds a starter of handed-off calls (one per tracked copy of Netty with a framework on it). */
    public static synchronized void addHandOff(HandOffStarter s) {
        HandOffStarter[] now = handOffs;
        HandOffStarter[] next = Arrays.copyOf(now, now.length + 1);
        next[now.length] = s;
        handOffs = next;
    }

    /** The call {@code name} starts on this thread: the first starter that tracks it, or null. Never throws. */
    public static HandedOff handOffStarted(String name) {
        for (HandOffStarter s : handOffs) {
            try {
                HandedOff h = s.started(name);
                if (h != null) {
                    return h;
                }
            } catch (Throwable t) {
                FAILURES.incrementAndGet();
            }
        }
        return null;
    }

    /** Sets where shims come from (the agent, once per JVM). */
    public static void shims(Function<ClassLoader, Object> source) {
        shims = source;
    }

    /** The agent's shim for the framework API loaded by {@code loader}, or null. */
    public static Object shim(ClassLoader loader) {
        Function<ClassLoader, Object> s = shims;
        return s == null ? null : s.apply(loader);
    }

    /** The listeners set now (a copy). */
    public static Listener[] listeners() {
        return listeners.clone();
    }

    /**
     * For an agent loaded before Netty: makes a listener on the first channel made of a Netty copy
     * no listener handles yet, from that channel (whose class loader sees that Netty), and adds it.
     * {@code null} removes it.
     */
    public static void starter(Function<Object, Listener> s) {
        starter = s;
    }

    /** Failures caught in listener calls since the JVM started. */
    public static long failures() {
        return FAILURES.get();
    }

    public static void serverChannel(Object channel) {
        channel(channel, true);
    }

    public static void clientChannel(Object channel) {
        channel(channel, false);
    }

    /**
     * A new channel, to the listener of its copy of Netty: the first that takes it, else the one
     * the starter makes for it (tracking that begins with the first channel).
     */
    private static void channel(Object channel, boolean server) {
        for (Listener l : listeners) {
            try {
                if (server ? l.serverChannel(channel) : l.clientChannel(channel)) {
                    return;
                }
            } catch (Throwable t) {
                failed(l, t);
                return;
            }
        }
        Listener l = start(channel);
        if (l != null) {
            try {
                if (server) {
                    l.serverChannel(channel);
                } else {
                    l.clientChannel(channel);
                }
            } catch (Throwable t) {
                failed(l, t);
            }
        }
    }

    public static void futureCreated(Object future) {
        Listener[] ls = listeners;
        for (Listener l : ls) {
            try {
                if (l.futureCreated(future)) {
                    return;
                }
            } catch (Throwable t) {
                failed(l, t);
                return;
            }
        }
    }

    public static void threadCreated(Object thread) {
        Listener[] ls = listeners;
        for (Listener l : ls) {
            try {
                if (l.threadCreated(thread)) {
                    return;
                }
            } catch (Throwable t) {
                failed(l, t);
                return;
            }
        }
    }

    /** See {@link Listener#codeStep}. */
    public static void codeStep(Object what) {
        Listener[] ls = listeners;
        for (Listener l : ls) {
            try {
                if (l.codeStep(what)) {
                    return;
                }
            } catch (Throwable t) {
                failed(l, t);
                return;
            }
        }
    }

    /**
     * What a {@code MonoCreate}'s constructor keeps as its callback: the first listener's
     * {@link Listener#sinkCallback}, else {@code callback} itself. Never throws.
     */
    public static Object sinkCallback(Object publisher, Object callback) {
        for (Listener l : listeners) {
            try {
                Object wrapped = l.sinkCallback(publisher, callback);
                if (wrapped != null) {
                    return wrapped;
                }
            } catch (Throwable t) {
                failed(l, t);
                return callback;
            }
        }
        return callback;
    }

    /**
     * What {@code Sinks.one()} returns: the first listener's {@link Listener#sinkMade}, else
     * {@code sink} itself. Never throws.
     */
    public static Object sinkMade(Object sink) {
        for (Listener l : listeners) {
            try {
                Object delegate = l.sinkMade(sink);
                if (delegate != null) {
                    return delegate;
                }
            } catch (Throwable t) {
                failed(l, t);
                return sink;
            }
        }
        return sink;
    }

    /**
     * A {@code Mono.create} callback that hands the application a delegate of Reactor's sink
     * ({@link #delegateSink}) instead of the sink itself, when {@code subscribed} (the tracking's,
     * held here weakly) makes one: Reactor's subscriber keeps the real sink as its subscription, and
     * only the application's code holds the delegate, so the delegate becomes unreachable exactly
     * when the application drops the callback that would have signalled it. {@code site} is where
     * the application made the {@code Mono} (the tracking's id for it). A bootstrap class: a
     * {@code Mono} kept across a detach keeps nothing of the attach. One object per {@code Mono}; the
     * weak reference is the tracking's, shared.
     */
    public static Consumer<Object> sinkCallback(Consumer<Object> original,
                                                WeakReference<BiFunction<Object, Integer, Object>> subscribed, int site) {
        return new SinkCallback(original, subscribed, site);
    }

    static final class SinkCallback implements Consumer<Object> {
        private final Consumer<Object> original;
        private final WeakReference<BiFunction<Object, Integer, Object>> subscribed;
        private final int site;

        SinkCallback(Consumer<Object> original, WeakReference<BiFunction<Object, Integer, Object>> subscribed, int site) {
            this.original = original;
            this.subscribed = subscribed;
            this.site = site;
        }

        @Override
        public void accept(Object sink) {
            Object handed = sink;
            BiFunction<Object, Integer, Object> s = subscribed.get();
            if (s != null) {
                try {
                    Object d = s.apply(sink, site);
                    if (d != null) {
                        handed = d;
                    }
                } catch (Throwable t) {
                    FAILURES.incrementAndGet();
                }
            }
            original.accept(handed);
        }
    }

    /**
     * A delegate of a Reactor sink: a JDK proxy of {@code sinkInterface} (Reactor's
     * {@code MonoSink}, defined in Reactor's loader) that forwards every call to {@code sink} and
     * notes its first signal ({@code success}, {@code error}) for {@link #whenSignalled}. Fluent
     * calls ({@code onCancel}, ...) return the delegate, so that the application keeps it.
     */
    public static Object delegateSink(Object sink, Class<?> sinkInterface) {
        try {
            return PROXY_CONSTRUCTORS.get(sinkInterface).newInstance(new SinkDelegate(sink));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final ClassValue<java.lang.reflect.Constructor<?>> PROXY_CONSTRUCTORS = new ProxyConstructors();

    /**
     * The JDK proxy class's constructor per sink interface, found once (its class is Reactor's
     * loader's). A named class: every class of the hooks is defined in the bootstrap loader by name.
     */
    static final class ProxyConstructors extends ClassValue<java.lang.reflect.Constructor<?>> {
        @Override
        protected java.lang.reflect.Constructor<?> computeValue(Class<?> api) {
            try {
                return Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api, Delegating.class},
                                new SinkDelegate(null))
                        .getClass().getConstructor(InvocationHandler.class);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * What every delegate made by {@link #delegateSink} implements besides the sink's interface: a
     * type test says what it is, and its handler is one call away, where {@code Proxy.isProxyClass}
     * and {@code Proxy.getInvocationHandler} look the class up in the JDK's proxy cache on each
     * call (about 2% of a WebFlux request's time when they were used). No one else implements it.
     */
    public interface Delegating {
        /** The delegate's handler (a {@link SinkDelegate}). */
        Object routerctlHandler();
    }

    /** Whether {@code o} is a delegate made by {@link #delegateSink}. */
    public static boolean isDelegateSink(Object o) {
        return o instanceof Delegating;
    }

    /** Whether the delegate's sink was signalled already. */
    public static boolean isSignalled(Object delegate) {
        return handler(delegate).signalled;
    }

    private static SinkDelegate handler(Object delegate) {
        return (SinkDelegate) ((Delegating) delegate).routerctlHandler();
    }

    /**
     * Calls {@code then} once, on the signalling thread, when the delegate's sink is signalled (at
     * once if it was); {@code then} should be a {@link #relay}, since the delegate may outlive an attach.
     */
    public static void whenSignalled(Object delegate, BiConsumer<Object, Throwable> then) {
        SinkDelegate d = handler(delegate);
        d.then = then;
        if (d.signalled) {
            d.fire(null, null);
        }
    }

    static final class SinkDelegate implements InvocationHandler {
        private final Object sink;
        volatile boolean signalled;
        volatile BiConsumer<Object, Throwable> then;
        /** 1 once {@link #then} was called. */
        private volatile int fired;
        private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<SinkDelegate> FIRED =
                java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(SinkDelegate.class, "fired");

        SinkDelegate(Object sink) {
            this.sink = sink;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "routerctlHandler" -> {
                    if (method.getDeclaringClass() == Delegating.class) {
                        return this;
                    }
                }
                case "equals" -> {
                    if (method.getParameterCount() == 1) {
                        return args[0] == proxy;
                    }
                }
                case "hashCode" -> {
                    if (method.getParameterCount() == 0) {
                        return System.identityHashCode(proxy);
                    }
                }
                case "success", "complete", "error", "tryEmitValue", "emitValue" -> {
                    // MonoSink's, FluxSink's terminal signals, and Sinks.One's value
                    signalled = true;
                    fire(args == null || args.length == 0 ? null : args[0], null);
                }
                case "tryEmitEmpty", "emitEmpty", "tryEmitComplete", "emitComplete" -> {
                    // Sinks.One's other two, Sinks.Many's end
                    signalled = true;
                    fire(null, null);
                }
                case "tryEmitError", "emitError" -> {
                    signalled = true;
                    fire(null, args != null && args.length > 0 && args[0] instanceof Throwable t ? t : null);
                }
                default -> {
                    // forwarded below
                }
            }
            // Typed locals: a conditional expression would be typed Object at a signature-polymorphic call.
            Object[] forwarded = args == null ? NO_ARGS : args;
            Object result = (Object) FORWARDS.of(method).invokeExact(sink, forwarded);
            return result == sink ? proxy : result;
        }

        private static final Object[] NO_ARGS = {};
        /**
         * A handle per interface method, {@code (sink, args) -> result}, rather than
         * {@code Method.invoke}: reflection's shared call path stays the service's own (a WebFlux
         * app calls its controllers through it, and a third kind of accessor there costs its JIT
         * the inlining of that call).
         */
        private static final Forwards FORWARDS = new Forwards();

        void fire(Object value, Throwable error) {
            BiConsumer<Object, Throwable> t = then;
            if (t != null && FIRED.compareAndSet(this, 0, 1)) {
                try {
                    t.accept(value, error);
                } catch (Throwable e) {
                    FAILURES.incrementAndGet();
                }
            }
        }
    }

    /**
     * The handles {@link SinkDelegate} forwards through, one per method of the sink interfaces
     * (a few dozen at most), made once: a public lookup of a public interface's method. Kept per
     * declaring class (a class value, stored with that class), so that these bootstrap classes
     * never keep Reactor's class loader alive.
     */
    static final class Forwards extends ClassValue<ConcurrentHashMap<Method, MethodHandle>> {
        private static final MethodType GENERIC =
                MethodType.methodType(Object.class, Object.class, Object[].class);

        @Override
        protected ConcurrentHashMap<Method, MethodHandle> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }

        MethodHandle of(Method m) {
            ConcurrentHashMap<Method, MethodHandle> handles = get(m.getDeclaringClass());
            MethodHandle h = handles.get(m);
            if (h == null) {
                h = make(m);
                MethodHandle raced = handles.putIfAbsent(m, h);
                if (raced != null) {
                    h = raced;
                }
            }
            return h;
        }

        private static MethodHandle make(Method m) {
            try {
                return MethodHandles.publicLookup().unreflect(m)
                        .asSpreader(Object[].class, m.getParameterCount()).asType(GENERIC);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A continuation for a service's future that calls {@code target} while {@code target} is
     * alive, and nothing once it is gone: a pending future holds only this bootstrap object, never
     * routerctl's classes, so a detached agent's classes can be collected while the service's
     * futures stay pending. Whoever passes {@code target} must keep it reachable as long as it
     * wants to be called (the registry does, while the task waits).
     */
    public static BiConsumer<Object, Throwable> relay(BiConsumer<Object, Throwable> target) {
        return new Relay(target);
    }

    /**
     * See {@link #relay}. One object per relayed future; called on the completing thread. It is also
     * the invocation handler of a proxy of a Netty listener interface, for Netty promises, whose
     * listener must be of Netty's type (and of Vert.x's {@code Handler}, for its promises): the
     * proxy's class is the JDK's, made in that library's loader.
     */
    static final class Relay extends WeakReference<BiConsumer<Object, Throwable>>
            implements BiConsumer<Object, Throwable>, InvocationHandler {
        Relay(BiConsumer<Object, Throwable> target) {
            super(target);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "operationComplete", "handle" -> {
                    // A Netty future listener's, or a Vert.x Handler's (a promise's completion).
                    accept(args == null || args.length == 0 ? null : args[0], null);
                    return null;
                }
                case "equals" -> {
                    return args != null && args.length == 1 && proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "routerctl completion relay";
                }
                default -> {
                    return null;
                }
            }
        }

        @Override
        public void accept(Object value, Throwable error) {
            BiConsumer<Object, Throwable> t = get();
            if (t != null) {
                try {
                    t.accept(value, error);
                } catch (Throwable e) {
                    FAILURES.incrementAndGet();
                }
            }
        }
    }

    /**
     * The starter decides fast, remembers what it cannot start (it is asked again on the next
     * channel), and adds the listener it makes itself ({@link #add}), once per Netty copy even when
     * two loops ask at once.
     */
    private static Listener start(Object channel) {
        Function<Object, Listener> s = starter;
        if (s == null) {
            return null;
        }
        try {
            return s.apply(channel);
        } catch (Throwable t) {
            FAILURES.incrementAndGet();
            return null;
        }
    }

    private static void failed(Listener l, Throwable t) {
        FAILURES.incrementAndGet();
        try {
            l.failed(t);
        } catch (Throwable ignored) {
            // Counted; the instrumented code goes on.
        }
    }
}
