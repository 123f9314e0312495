package io.routerctl.agent.core;

import io.routerctl.agent.hooks.ServiceSession;
import io.routerctl.probes.LoopWatchdog;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.Ticker;
import io.routerctl.probes.attach.AttachServer;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * routerctl's session in a service the agent attached to: one registry, one loop watchdog and one
 * attach socket, shared by the instrumentation of every Netty copy (and framework) in the process,
 * and served with the {@code detach} op. Loaded by the agent in the class loader that holds probes,
 * once per attach.
 *
 * <h2>Thread safety</h2>
 * Safe from any thread.
 */
public final class AgentSession implements ServiceSession {

    private final TaskRegistry registry;
    private final LoopWatchdog watchdog;
    private final AttachServer server;
    private final String socketError;
    private final List<Supplier<String>> parts = new CopyOnWriteArrayList<>();
    private volatile boolean sitesOn;

    private AgentSession(String name, Function<Long, String> detacher) {
        this.registry = new TaskRegistry();
        this.watchdog = new LoopWatchdog(Ticker.system(), LoopWatchdog.defaultInterval(), LoopWatchdog.defaultThreshold());
        AttachServer s = null;
        String error = null;
        try {
            s = AttachServer.builder(registry).name(name).integration(this::describe).detach(detacher).start();
        } catch (IOException | RuntimeException e) {
            error = String.valueOf(e.getMessage());
        }
        this.server = s;
        this.socketError = error;
    }

    /**
     * Starts a session named {@code name} (what {@code routerctl list} shows) whose {@code detach}
     * op calls {@code detacher} with the request's deadline. Called by the agent, reflectively.
     */
    public static ServiceSession start(String name, Function<Long, String> detacher) {
        return new AgentSession(name, detacher);
    }

    /** The hello's account of how routerctl is here: {@code agent, Netty 4.2.18.Final, deep sites on}. */
    private String describe() {
        StringBuilder b = new StringBuilder("agent");
        for (Supplier<String> p : parts) {
            String s = p.get();
            if (s != null && !s.isEmpty()) {
                b.append(", ").append(s);
            }
        }
        return b.toString();
    }

    @Override
    public String socket() {
        return server == null ? null : server.socket().toString();
    }

    @Override
    public String socketError() {
        return socketError;
    }

    @Override
    public Object registry() {
        return registry;
    }

    @Override
    public Object watchdog() {
        return watchdog;
    }

    @Override
    public void describe(Supplier<String> part) {
        parts.add(part);
    }

    @Override
    public void close(boolean closeSocket) {
        watchdog.close();
        registry.close();
        if (closeSocket && server != null) {
            server.close();
        }
    }
}
