package io.routerctl.agent;

import java.lang.instrument.Instrumentation;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The routerctl agent: {@code routerctl attach PID} loads it into a running JVM
 * ({@link #agentmain}), {@code -javaagent:routerctl-agent.jar} at start-up ({@link #premain}).
 *
 * <p>Arguments: see {@link AgentArgs}. It reports how it went in a system property,
 * {@code routerctl.agent.status.<nonce>}, which {@code routerctl attach} reads back through the
 * JVM's attach mechanism: {@code attached: ...}, {@code no-netty: ...}, {@code detached: ...},
 * {@code expired: ...}, {@code failed: ...}. It never throws into the JVM that loaded it. A request
 * past its deadline is refused before anything is done.
 *
 * <h2>Thread safety</h2>
 * Requests are serialized.
 */
public final class RouterctlAgent {

    /** Status properties kept; older ones are removed, so that repeated attaches do not pile them up. */
    static final int STATUSES_KEPT = 8;
    private static final Deque<String> STATUSES = new ArrayDeque<>();

    private RouterctlAgent() {
    }

    /** {@code -javaagent}: instruments now, starts tracking with each copy of Netty's first channel. */
    public static void premain(String args, Instrumentation inst) {
        run(args, inst, true);
    }

    /** {@code routerctl attach PID}: instruments and tracks what is open now. */
    public static void agentmain(String args, Instrumentation inst) {
        run(args, inst, false);
    }

    private static synchronized void run(String args, Instrumentation inst, boolean atStartup) {
        AgentArgs a;
        try {
            a = AgentArgs.parse(args);
        } catch (RuntimeException e) {
            report(AgentArgs.STATUS_PROPERTY, "failed: " + e.getMessage(), atStartup);
            return;
        }
        long now = System.currentTimeMillis();
        if (a.expired(now)) {
            report(a.statusProperty(), "expired: the request arrived " + (now - a.deadline())
                    + "ms after its deadline (was the JVM stopped?); nothing was done", atStartup);
            return;
        }
        String status;
        try {
            status = a.stop() ? Installer.detach(true) : Installer.attach(a, inst, atStartup);
        } catch (Throwable t) {
            status = "failed: " + t;
        }
        report(a.statusProperty(), status, atStartup);
    }

    private static void report(String property, String status, boolean atStartup) {
        try {
            System.setProperty(property, status);
            STATUSES.remove(property);
            STATUSES.addLast(property);
            while (STATUSES.size() > STATUSES_KEPT) {
                System.clearProperty(STATUSES.removeFirst());
            }
        } catch (RuntimeException e) {
            // A security manager refusing properties: the console then reports that nothing was said.
        }
        if (atStartup && (status.startsWith("failed") || status.startsWith("expired"))) {
            System.err.println("routerctl agent: " + status);
        }
    }
}
