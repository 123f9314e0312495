package io.routerctl.agent;

import io.routerctl.agent.hooks.Hooks;
import io.routerctl.agent.hooks.ServiceSession;
import io.routerctl.agent.hooks.TrackedNetty;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything one attach brought into the service, and the only way to end it: the class loader of
 * probes and the agent's session (its registry, watchdog and attach socket), one class loader and
 * one {@link TrackedNetty} per copy of Netty, and the Micrometer binding. Detach ({@link #close})
 * ends all of it; afterwards nothing of the generation is reachable from the service, so its class
 * loaders and classes are collected.
 *
 * <h2>Thread safety</h2>
 * Safe from any thread; its own lock guards its parts, and is never held while waiting for an
 * event loop.
 */
final class Generation {

    /** Packages every part shares: one copy per attach, in the core loader. */
    static final List<String> SHARED = List.of("io.routerctl.probes.", "io.routerctl.agent.core.");
    /** The Netty part's own packages, one copy per copy of Netty. */
    static final List<String> NETTY = List.of("io.routerctl.netty.", "io.routerctl.agent.netty.");
    static final String MICROMETER = "io.routerctl.probes.micrometer.";

    private final ClassDataLoader core;
    private final ServiceSession session;
    private final Map<NettyCopies.Copy, TrackedNetty> copies = new LinkedHashMap<>();
    private final List<NettyCopies.Copy> failed = new ArrayList<>();
    private AutoCloseable metrics;
    private boolean sites;
    private boolean closed;

    private Generation(ClassDataLoader core, ServiceSession session, boolean sites) {
        this.core = core;
        this.session = session;
        this.sites = sites;
    }

    /**
     * Loads probes and the session in a new core class loader and starts the session (registry,
     * watchdog, attach socket named {@code name}); {@code detacher} serves the socket's
     * {@code detach} op.
     */
    static Generation start(String name, boolean sites, Function<Long, String> detacher) throws Exception {
        ClassDataLoader core = new ClassDataLoader("routerctl", ClassLoader.getPlatformClassLoader(),
                SHARED, List.of(MICROMETER), null, List.of(), "");
        ServiceSession session = (ServiceSession) call(Class.forName("io.routerctl.agent.core.AgentSession", true, core)
                .getMethod("start", String.class, Function.class), name, detacher);
        return new Generation(core, session, sites);
    }

    ServiceSession session() {
        return session;
    }

    /**
     * Starts tracking {@code copy}, in a class loader whose parent loaded it, and adds its listener
     * to the hooks. Returns the copy's tracking, or {@code null} once closed or when it failed
     * before (it is not tried again).
     */
    synchronized TrackedNetty track(NettyCopies.Copy copy) throws Exception {
        TrackedNetty t = copies.get(copy);
        if (t != null || closed || failed.contains(copy)) {
            return t;
        }
        try {
            ClassDataLoader loader = new ClassDataLoader(copy.prefix().isEmpty() ? "routerctl-netty"
                    : "routerctl-netty (" + copy.prefix() + ")", copy.loader(), NETTY, List.of(), core, SHARED, copy.prefix());
            t = (TrackedNetty) call(Class.forName("io.routerctl.agent.netty.NettyInstrumentation", true, loader)
                    .getMethod("start", ServiceSession.class, boolean.class), session, sites);
        } catch (Exception | LinkageError e) {
            failed.add(copy);
            throw e;
        }
        copies.put(copy, t);
        Hooks.add(t.listener());
        return t;
    }

    /** For the hooks' starter: the listener of the copy {@code channel} belongs to, made on first sight. */
    Hooks.Listener startFor(Object channel) {
        NettyCopies.Copy copy = NettyCopies.ofChannel(channel.getClass());
        if (copy == null) {
            return null;
        }
        try {
            TrackedNetty t = track(copy);
            return t == null ? null : t.listener();
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    /** The copies tracked now. */
    synchronized List<TrackedNetty> tracked() {
        return new ArrayList<>(copies.values());
    }

    /** The copies tracked now, with their names. */
    synchronized Map<NettyCopies.Copy, TrackedNetty> trackedCopies() {
        return new LinkedHashMap<>(copies);
    }

    /** Switches deep sites on or off in every copy, now and for copies tracked later. */
    synchronized void sites(boolean on) {
        sites = on;
        for (TrackedNetty t : copies.values()) {
            t.sites(on);
        }
    }

    synchronized boolean sites() {
        return sites;
    }

    /**
     * Binds routerctl's meters to Micrometer's global registry when the service has loaded
     * Micrometer (found among the loaded classes, so nothing of Micrometer is loaded for it).
     * Returns what it did, for the status line, or "".
     */
    String bindMetrics(Instrumentation inst) {
        ClassLoader micrometer = null;
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals("io.micrometer.core.instrument.Metrics")) {
                micrometer = NettyCopies.loaderOf(c);
                break;
            }
        }
        if (micrometer == null) {
            return "";
        }
        try {
            ClassDataLoader loader = new ClassDataLoader("routerctl-micrometer", micrometer, List.of(MICROMETER), List.of(),
                    core, SHARED, "");
            Class<?> registry = core.loadClass("io.routerctl.probes.TaskRegistry");
            AutoCloseable m = (AutoCloseable) call(Class.forName("io.routerctl.probes.micrometer.RouterctlMetrics", true, loader)
                    .getMethod("bindToGlobalRegistry", registry), session.registry());
            synchronized (this) {
                metrics = m;
            }
            return ", meters bound to Micrometer's global registry";
        } catch (Exception | LinkageError e) {
            Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
            return ", Micrometer found but not bound (" + cause + ")";
        }
    }

    /**
     * Ends the generation: every copy's trackers out of their pipelines and its thread-locals off
     * its loops (waiting at most {@code timeoutMs} for the loops), the meters unbound, the session's
     * threads ended and, when {@code closeSocket}, its attach socket closed. Returns one line.
     */
    String close(boolean closeSocket, long timeoutMs) {
        List<TrackedNetty> all;
        AutoCloseable m;
        synchronized (this) {
            if (closed) {
                return "already detached";
            }
            closed = true;
            all = new ArrayList<>(copies.values());
            copies.clear();
            m = metrics;
            metrics = null;
        }
        int channels = 0;
        for (TrackedNetty t : all) {
            channels += t.stop(timeoutMs);
        }
        if (m != null) {
            try {
                m.close();
            } catch (Exception e) {
                // The meters keep their last values; everything else still ends.
            }
        }
        session.close(closeSocket);
        return "trackers removed from " + channels + " channels, attach socket closed";
    }

    private static Object call(java.lang.reflect.Method m, Object... args) throws Exception {
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
