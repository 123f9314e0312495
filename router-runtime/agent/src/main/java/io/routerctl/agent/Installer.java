package io.routerctl.agent;

import io.routerctl.agent.hooks.Hooks;
import io.routerctl.agent.hooks.TrackedNetty;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the agent does, once its arguments are read: attach (decide, then define the hooks, start a
 * {@link Generation}, instrument, track what is open) and detach (undo all of it).
 *
 * <h2>Attach</h2>
 * It first looks for Netty among the loaded classes; without one (and not at start-up) it refuses
 * before anything is defined, loaded or instrumented. Then it defines the hooks in the bootstrap
 * loader (once per JVM), starts a generation (registry and attach socket; if the socket cannot be
 * made, the attach is undone and refused) and tracks each copy of Netty while, on a thread of its
 * own ({@link Instrumenting}), it instruments, with calls to the hooks and nothing else
 * ({@link HookCalls}), the few places where what it must see is made: the constructors of Netty's
 * server channels (what they accept gets a tracker), {@code Bootstrap.init} (client channels),
 * {@code CompletableFuture}'s constructor and Netty's {@code newPromise()} (the futures a request
 * may wait on); once both are done it tracks the channels open now.
 * The service's own classes and Netty's hot paths (pipelines, handlers, promises) are never
 * changed: handler steps come from handlers put into the pipelines, and a detach that retransforms
 * only these cold classes leaves the service's metaspace as it was.
 *
 * <h2>Detach</h2>
 * The hooks are cleared first (every inserted call is a no-op from then on), the generation is closed
 * (trackers, thread-locals, threads, meters, JFR, socket), and the transformer is removed through
 * the {@link Instrumentation} it was installed with, which retransforms every class it changed
 * back to its original code. (Each agent load has its own {@code Instrumentation}; removing the
 * transformer through another one does nothing.)
 *
 * <h2>Thread safety</h2>
 * Attach and detach are serialized on this class.
 */
final class Installer {

    static final long SCAN_TIMEOUT_MS = 2000;
    static final long STOP_TIMEOUT_MS = 2000;

    /** The Instrumentation of the agent load that installed {@link #transformer}: the only one that can remove it. */
    private static Instrumentation installedWith;
    private static HookCalls transformer;
    private static Generation generation;
    /** How long a {@code -javaagent} waits for a Netty channel before it says it tracks nothing. */
    static final long STARTUP_QUIET_MS = Long.getLong("routerctl.agent.quietMs", 30_000);
    private static Thread startupCheck;

    private Installer() {
    }

    static synchronized String attach(AgentArgs a, Instrumentation inst, boolean atStartup) throws Exception {
        List<NettyCopies.Copy> copies = NettyCopies.loaded(inst);
        if (copies.isEmpty() && !atStartup && generation == null) {
            return "no-netty: this JVM has loaded no Netty channel classes (io.netty.channel)";
        }
        boolean firstInJvm = BootHooks.definedHooks() == null;
        Class<?> hooks = BootHooks.ensureDefined(inst);
        boolean threads = hasMethod(hooks, "threadCreated", Object.class);
        boolean sinks = hasMethod(hooks, "sinkCallback", Object.class, Object.class);
        boolean oneSinks = hasMethod(hooks, "sinkMade", Object.class);
        boolean steps = hasMethod(hooks, "codeStep", Object.class);
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
        transformer = new HookCalls(threads, sinks, oneSinks, steps, System.getProperty("routerctl.agent.debug"));
        installedWith = inst;
        Instrumenting instrumenting = Instrumenting.start(inst, transformer);
        Generation g;
        try {
            g = Generation.start(a.name(), a.sites(), Installer::detachBySocket);
        } catch (Exception | LinkageError e) {
            instrumenting.finish();
            detach(true);
            throw e;
        }
        if (g.session().socket() == null) {
            instrumenting.finish();
            g.close(true, STOP_TIMEOUT_MS);
            detach(true);
            return "failed: no attach socket, so nothing attached: " + g.session().socketError();
        }
        generation = g;
        state("attached");
        try {
            for (NettyCopies.Copy copy : copies) {
                g.track(copy);
            }
            if (copies.isEmpty()) {
                Hooks.starter(g::startFor);
            }
            instrumenting.await();
        } catch (Exception | LinkageError e) {
            instrumenting.finish();
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
        long errors = transformer.errors();
        return "attached: " + found + ", socket " + g.session().socket() + bound + ", " + transformer.instrumented()
                + " classes instrumented" + (errors == 0 ? "" : "; " + errors
                + " classes could not be instrumented (last: " + transformer.lastError() + ")")
                + CompiledCode.recompileNote(firstInJvm && !atStartup, transformer.instrumented());
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
            result += restore(installedWith, transformer);
            transformer = null;
            installedWith = null;
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
     * Adds {@code calls} (it then sees every class loaded from now on) and retransforms the loaded
     * classes it would change, all in one go; if the JVM refuses the batch, one by one, so that one
     * class it cannot change does not keep the others from being instrumented.
     */
    private static void instrument(Instrumentation inst, HookCalls calls) {
        inst.addTransformer(calls, true);
        List<Class<?>> now = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (inst.isModifiableClass(c) && calls.candidate(c)) {
                now.add(c);
            }
        }
        retransform(inst, now);
    }

    /**
     * Removes {@code calls} and retransforms the classes it changed, which then run their
     * original code again (what other agents changed in them stays). Returns how it went, to add
     * to the detach's line.
     */
    private static String restore(Instrumentation inst, HookCalls calls) {
        if (!inst.removeTransformer(calls)) {
            return ", instrumentation already removed";
        }
        List<Class<?>> back = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (!c.isArray() && !c.isPrimitive() && calls.changed().contains(c.getName().replace('.', '/'))) {
                back.add(c);
            }
        }
        Failures failed = retransform(inst, back);
        return failed.count == 0 ? ", " + back.size() + " classes restored"
                : ", " + failed.count + " of " + back.size() + " classes could not be restored (" + failed.last + ")";
    }

    /**
     * {@link #instrument} on a thread of its own, beside the session's start and the tracking of
     * each copy of Netty on the attaching thread: neither needs the other (an inserted call finds no
     * listener until a copy is tracked, and the scan that follows both finds what either missed),
     * and on two cores a service at saturation fills, two threads of attach work get twice the CPU
     * one gets. The thread ends with the instrumenting; the attach waits for it before it scans.
     */
    private static final class Instrumenting implements Runnable {

        private final Instrumentation inst;
        private final HookCalls calls;
        private final Thread thread;
        private volatile Throwable failure;

        private Instrumenting(Instrumentation inst, HookCalls calls) {
            this.inst = inst;
            this.calls = calls;
            this.thread = new Thread(this, "routerctl-instrument");
            thread.setDaemon(true);
        }

        static Instrumenting start(Instrumentation inst, HookCalls calls) {
            Instrumenting i = new Instrumenting(inst, calls);
            i.thread.start();
            return i;
        }

        @Override
        public void run() {
            try {
                instrument(inst, calls);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
        }

        /** Waits for the instrumenting to end; rethrows what it failed with. */
        void await() {
            finish();
            Throwable f = failure;
            if (f instanceof RuntimeException e) {
                throw e;
            }
            if (f instanceof Error e) {
                throw e;
            }
        }

        /** Waits for the instrumenting to end, whatever it did: before the attach is undone. */
        void finish() {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How many classes a retransform could not change, and the last reason. */
    private record Failures(int count, String last) {
    }

    /** Retransforms {@code classes}, in one batch, else one by one. */
    private static Failures retransform(Instrumentation inst, List<Class<?>> classes) {
        if (classes.isEmpty()) {
            return new Failures(0, null);
        }
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
            return new Failures(0, null);
        } catch (UnmodifiableClassException | RuntimeException | LinkageError batch) {
            int count = 0;
            String last = null;
            for (Class<?> c : classes) {
                try {
                    inst.retransformClasses(c);
                } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                    count++;
                    last = c.getName() + ": " + e;
                }
            }
            return new Failures(count, last);
        }
    }
}
