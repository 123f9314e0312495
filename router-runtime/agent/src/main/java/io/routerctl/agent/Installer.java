package io.routerctl.agent;

import io.routerctl.agent.hooks.Hooks;
import io.routerctl.agent.hooks.TrackedNetty;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.nameEndsWith;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/**
 * What the agent does, once its arguments are read: attach (decide, then define the hooks, start a
 * {@link Generation}, instrument, track what is open) and detach (undo all of it).
 *
 * <h2>Attach</h2>
 * It first looks for Netty among the loaded classes; without one (and not at start-up) it refuses
 * before anything is defined, loaded or instrumented. Then it defines the hooks in the bootstrap
 * loader (once per JVM), starts a generation (registry and attach socket; if the socket cannot be
 * made, the generation is ended again and the attach refused), tracks each copy of Netty, and
 * instruments, with advices that only call the hooks, the few places where what it must see is
 * made: the constructors of Netty's server channels (what they accept gets a tracker),
 * {@code Bootstrap.init} (client channels), {@code CompletableFuture}'s constructor and Netty's
 * {@code newPromise()} (the futures a request may wait on); then it tracks the channels open now.
 * The service's own classes and Netty's hot paths (pipelines, handlers, promises) are never
 * changed: handler steps come from handlers put into the pipelines, and a detach that retransforms
 * only these cold classes leaves the service's metaspace as it was.
 *
 * <h2>Detach</h2>
 * The hooks are cleared first (every advice is a no-op from then on), the generation is closed
 * (trackers, thread-locals, threads, meters, JFR, socket), and the transformer is removed through
 * the {@link Instrumentation} it was installed with, which retransforms every class it changed
 * back to its original code. (Each agent load has its own {@code Instrumentation}; removing the
 * transformer through another one does nothing.)
 *
 * <h2>Thread safety</h2>
 * Attach and detach are serialized on this class.
 */
final class Installer {

    static final String CF = "java.util.concurrent.CompletableFuture";
    /**
     * Reactor's publishers a request may wait on, made by the application's code during the
     * request's dispatch: {@code Mono.create} and {@code Sinks.one()}.
     */
    static final String MONO_CREATE = "reactor.core.publisher.MonoCreate";
    static final List<String> PUBLISHERS = List.of(MONO_CREATE, "reactor.core.publisher.SinkOneMulticast");
    /** Vert.x's promise (and future): observed as a {@code CompletableFuture} is. */
    static final String VERTX_PROMISE = "io.vertx.core.impl.future.PromiseImpl";
    /** JDK 21 and later: where every virtual thread is made. */
    static final String THREAD_BUILDERS = "java.lang.ThreadBuilders";
    static final ElementMatcher.Junction<MethodDescription> NEW_VIRTUAL_THREAD = named("newVirtualThread")
            .and(isStatic()).and(returns(named("java.lang.Thread")));
    /** Where Netty makes the promises a handler asks its executor for. */
    static final ElementMatcher.Junction<MethodDescription> NEW_PROMISE = named("newPromise").and(takesNoArguments())
            .and(not(isAbstract()));
    /** Where a client channel made by Netty's {@code Bootstrap} is initialized, before it registers. */
    static final ElementMatcher.Junction<MethodDescription> BOOTSTRAP_INIT = named("init").and(takesArguments(1))
            .and(takesArgument(0, nameEndsWith("io.netty.channel.Channel")));
    static final long SCAN_TIMEOUT_MS = 2000;
    static final long STOP_TIMEOUT_MS = 2000;

    /** The Instrumentation of the agent load that installed {@link #transformer}: the only one that can remove it. */
    private static Instrumentation installedWith;
    private static ResettableClassFileTransformer transformer;
    private static Generation generation;
    /** How long a {@code -javaagent} waits for a Netty channel before it says it tracks nothing. */
    static final long STARTUP_QUIET_MS = Long.getLong("routerctl.agent.quietMs", 30_000);
    private static Thread startupCheck;
    private static final AtomicLong INSTRUMENTED = new AtomicLong();
    private static final AtomicLong INSTRUMENTATION_ERRORS = new AtomicLong();
    private static final AtomicReference<String> LAST_ERROR = new AtomicReference<>();

    private Installer() {
    }

    static synchronized String attach(AgentArgs a, Instrumentation inst, boolean atStartup) throws Exception {
        List<NettyCopies.Copy> copies = NettyCopies.loaded(inst);
        if (copies.isEmpty() && !atStartup && generation == null) {
            return "no-netty: this JVM has loaded no Netty channel classes (io.netty.channel)";
        }
        Class<?> hooks = BootHooks.ensureDefined(inst);
        boolean threads = hasMethod(hooks, "threadCreated", Object.class);
        boolean sinks = hasMethod(hooks, "sinkCallback", Object.class, Object.class);
        try {
            Hooks.shims(GrpcShims::forLoader);
        } catch (LinkageError olderHooks) {
            // hooks defined by an older agent in this JVM: frameworks' calls are tracked as streams only
        }
        if (generation != null) {
            generation.sites(a.sites());
            StringBuilder b = new StringBuilder("already attached: ");
            for (TrackedNetty t : generation.tracked()) {
                b.append(t.scan(SCAN_TIMEOUT_MS)).append(", ");
            }
            String socket = generation.session().socket();
            return b.append("deep sites ").append(a.sites() ? "on" : "off")
                    .append(socket == null ? "" : ", socket " + socket).toString();
        }
        Generation g = Generation.start(a.name(), a.sites(), Installer::detachBySocket);
        if (g.session().socket() == null) {
            g.close(true, STOP_TIMEOUT_MS);
            return "failed: no attach socket, so nothing attached: " + g.session().socketError();
        }
        generation = g;
        state("attached");
        INSTRUMENTED.set(0);
        INSTRUMENTATION_ERRORS.set(0);
        LAST_ERROR.set(null);
        try {
            for (NettyCopies.Copy copy : copies) {
                g.track(copy);
            }
            if (copies.isEmpty()) {
                Hooks.starter(g::startFor);
            }
            transformer = instrument(inst, threads, sinks);
            installedWith = inst;
        } catch (Exception | LinkageError e) {
            detach(true);
            throw e;
        }
        if (copies.isEmpty()) {
            if (atStartup) {
                startupCheck = startupCheck(g);
            }
            return "waiting: tracking starts with the first Netty channel, socket " + g.session().socket();
        }
        StringBuilder found = new StringBuilder();
        for (Map.Entry<NettyCopies.Copy, TrackedNetty> e : g.trackedCopies().entrySet()) {
            if (found.length() > 0) {
                found.append("; ");
            }
            found.append(e.getKey().prefix().isEmpty() ? "" : e.getKey().label() + ": ").append(e.getValue().scan(SCAN_TIMEOUT_MS));
        }
        String bound = g.bindMetrics(inst);
        long errors = INSTRUMENTATION_ERRORS.get();
        return "attached: " + found + ", socket " + g.session().socket() + bound + ", " + INSTRUMENTED.get()
                + " classes instrumented" + (errors == 0 ? "" : "; " + errors
                + " classes could not be instrumented (last: " + LAST_ERROR.get() + ")");
    }

    /**
     * For {@code -javaagent}: one line on the service's standard error if, {@link #STARTUP_QUIET_MS}
     * after start, the service has made no Netty channel (no copy of Netty is tracked), so that an
     * agent that finds nothing to track does not stay silent. A daemon thread that ends then, or at
     * detach.
     */
    private static Thread startupCheck(Generation g) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(STARTUP_QUIET_MS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (Installer.class) {
                if (generation == g && g.tracked().isEmpty()) {
                    String quiet = STARTUP_QUIET_MS % 1000 == 0 ? STARTUP_QUIET_MS / 1000 + "s" : STARTUP_QUIET_MS + "ms";
                    System.err.println("routerctl agent: no Netty channel in " + quiet + ", nothing tracked yet "
                            + "(tracking starts with the first one; socket " + g.session().socket() + ")");
                }
                if (startupCheck == Thread.currentThread()) {
                    startupCheck = null;
                }
            }
        }, "routerctl-startup-check");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The {@code detach} op of the attach socket: the server answers, then closes itself. */
    private static String detachBySocket(Long deadlineMs) {
        return detach(false);
    }

    /**
     * Undoes the attach; with {@code closeSocket} false the attach server is left to close itself
     * after answering the request that asked for this. Returns one line.
     */
    static synchronized String detach(boolean closeSocket) {
        if (generation == null && transformer == null) {
            return "detached: routerctl was not attached";
        }
        Hooks.clear();
        if (startupCheck != null) {
            startupCheck.interrupt();
            startupCheck = null;
        }
        Generation g = generation;
        generation = null;
        state("detached");
        String result = g == null ? "routerctl was not attached" : g.close(closeSocket, STOP_TIMEOUT_MS);
        if (transformer != null) {
            long restored = INSTRUMENTED.get();
            RestoreFailures failures = new RestoreFailures();
            boolean removed = transformer.reset(installedWith, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION,
                    AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.SinglePass.INSTANCE,
                    AgentBuilder.RedefinitionStrategy.BatchAllocator.ForTotal.INSTANCE, failures);
            transformer = null;
            installedWith = null;
            result += !removed ? ", instrumentation already removed" : failures.last == null
                    ? ", " + restored + " classes restored"
                    : ", " + failures.count + " of " + restored + " classes could not be restored (" + failures.last + ")";
        }
        return "detached: " + result;
    }

    /**
     * {@code routerctl.agent.state}: whether routerctl is attached, for a console that finds no
     * attach socket and must know, without loading anything, whether there is an agent to stop.
     */
    private static void state(String state) {
        try {
            System.setProperty("routerctl.agent.state", state);
        } catch (RuntimeException e) {
            // A security manager refusing properties: detach then works through the socket only.
        }
    }

    /**
     * Byte Buddy's property that keeps it from {@code sun.misc.Unsafe} (the build relocates the name
     * with the package, so it concerns our copy only).
     */
    static final String BYTE_BUDDY_SAFE = "net.bytebuddy.safe";

    /**
     * Makes Byte Buddy's first objects with its safe mode on: its default agent builder prepares
     * class injection through {@code sun.misc.Unsafe}, which JDK 24 and later warn about on the
     * service's standard error; the agent injects nothing, so it never needs it. The property is
     * taken out again (Byte Buddy reads it once, when its classes initialize), leaving the
     * service's system properties as they were.
     */
    private static <T> T quietly(java.util.function.Supplier<T> make) {
        boolean set = System.getProperty(BYTE_BUDDY_SAFE) == null;
        if (set) {
            System.setProperty(BYTE_BUDDY_SAFE, "true");
        }
        try {
            return make.get();
        } finally {
            if (set) {
                System.clearProperty(BYTE_BUDDY_SAFE);
            }
        }
    }

    /** Whether the hooks in this JVM have the method (hooks defined by an older agent may not). */
    static boolean hasMethod(Class<?> hooks, String name, Class<?>... parameters) {
        try {
            hooks.getMethod(name, parameters);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * With {@code threads}, virtual threads are observed; with {@code sinks}, a {@code Mono.create}
     * keeps a callback that hands the application a delegate of its sink (else it is observed as a
     * future is, unprovably).
     */
    private static ResettableClassFileTransformer instrument(Instrumentation inst, boolean threads, boolean sinks) {
        String debug = System.getProperty("routerctl.agent.debug");
        ElementMatcher.Junction<TypeDescription> threadTypes = threads ? named(THREAD_BUILDERS) : none();
        return quietly(AgentBuilder.Default::new)
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(candidates(inst)))
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new Counting())
                .with(debug != null
                        ? new AgentBuilder.Listener.Filtering(n -> n.contains(debug), AgentBuilder.Listener.StreamWriting.toSystemError())
                        : AgentBuilder.Listener.NoOp.INSTANCE)
                .ignore(nameStartsWith("io.routerctl.agent.")
                        .or(nameStartsWith("io.routerctl.netty."))
                        .or(nameStartsWith("io.routerctl.probes."))
                        .or(nameStartsWith("jdk."))
                        .or(nameStartsWith("sun."))
                        .or(nameStartsWith("com.sun."))
                        .or(nameStartsWith("java.").and(not(named(CF))).and(not(threadTypes)))
                        .or(isSynthetic()))
                .type(nameContains("io.netty.channel.").and(not(isInterface())).and(not(isAbstract()))
                        .and(hasSuperType(nameEndsWith("io.netty.channel.ServerChannel"))))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(Advices.ServerChannelCreated.class).on(isConstructor())))
                .type(nameEndsWith("io.netty.bootstrap.Bootstrap").and(declaresMethod(BOOTSTRAP_INIT)))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(Advices.ClientChannelInitialized.class).on(BOOTSTRAP_INIT)))
                .type(named(CF))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(Advices.FutureCreated.class).on(isConstructor().and(takesNoArguments()))))
                .type(named(VERTX_PROMISE))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(Advices.FutureCreated.class).on(isConstructor())))
                .type(namedOneOf(PUBLISHERS.toArray(new String[0])))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(sinks && type.getName().equals(MONO_CREATE) ? Advices.SinkCallbackKept.class
                                : Advices.FutureCreated.class).on(isConstructor())))
                .type(threadTypes)
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(Advices.ThreadCreated.class).on(NEW_VIRTUAL_THREAD)))
                .type(nameEndsWith("io.netty.util.concurrent.AbstractEventExecutor") // 4.1
                        .or(nameEndsWith("io.netty.util.concurrent.EventExecutor")) // 4.2: a default method
                        .and(declaresMethod(NEW_PROMISE)))
                .transform((builder, type, loader, module, domain) -> builder.visit(
                        Advice.to(Advices.FutureReturned.class).on(NEW_PROMISE)))
                .installOn(inst);
    }

    /**
     * The loaded classes the matchers below could take, found by name (a string test per loaded
     * class, then a look at the interfaces of Netty's concrete channel classes only): Byte Buddy
     * then retransforms from these instead of describing and matching every loaded class (about
     * 100 ms of an idle first attach on the ticket service, more under load). The matchers still
     * decide; classes loaded later are matched as they load.
     */
    static java.util.Set<Class<?>> candidates(Instrumentation inst) {
        java.util.Set<Class<?>> out = new java.util.LinkedHashSet<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            String n = c.getName();
            if (n.equals(CF) || n.equals(THREAD_BUILDERS) || PUBLISHERS.contains(n) || n.equals(VERTX_PROMISE)) {
                out.add(c);
            } else if (n.contains("io.netty.") && !c.isArray()) {
                if (n.endsWith("io.netty.bootstrap.Bootstrap") || n.endsWith("io.netty.util.concurrent.AbstractEventExecutor")
                        || n.endsWith("io.netty.util.concurrent.EventExecutor")
                        || (n.contains("io.netty.channel.") && !c.isInterface()
                        && !java.lang.reflect.Modifier.isAbstract(c.getModifiers()) && isServerChannel(c))) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    private static boolean isServerChannel(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().endsWith("io.netty.channel.ServerChannel") || isServerChannel(i)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The classes a detach could not give their original code back, and the last reason. */
    private static final class RestoreFailures extends AgentBuilder.RedefinitionStrategy.Listener.Adapter {
        int count;
        String last;

        @Override
        public void onComplete(int amount, List<Class<?>> types, Map<List<Class<?>>, Throwable> failures) {
            for (Map.Entry<List<Class<?>>, Throwable> e : failures.entrySet()) {
                count += e.getKey().size();
                last = e.getKey().get(0).getName() + ": " + e.getValue();
            }
        }
    }

    /** Counts the classes instrumented, and those that could not be (they keep their original code). */
    private static final class Counting extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            INSTRUMENTATION_ERRORS.incrementAndGet();
            LAST_ERROR.set(typeName + ": " + throwable);
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader classLoader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            INSTRUMENTED.incrementAndGet();
        }
    }
}
