package io.routerctl.netty;

import io.routerctl.netty.hooks.Hooks;

import java.util.concurrent.TimeUnit;

/**
 * The routerctl agent's way in: the agent (loaded by the system class loader, with its own shaded
 * Byte Buddy) loads this package in a class loader whose parent sees the service's Netty, and calls
 * these methods by reflection, with plain types only.
 *
 * <h2>Thread safety</h2>
 * Synchronized: one attach or detach at a time.
 */
public final class AgentSupport {

    private static NettyTracking tracking;
    /** The agent's Micrometer binding ({@code RouterctlMetrics}), closed on detach; null without Micrometer. */
    private static AutoCloseable metrics;

    private AgentSupport() {
    }

    /**
     * Starts tracking (or, when already attached, switches deep sites to {@code sites}), tracks the
     * channels open now, and returns one line saying what it found.
     */
    public static synchronized String attach(String name, boolean sites, long timeoutMs) {
        if (tracking != null) {
            tracking.sites(sites);
            return "already attached: " + tracking.loops() + " event loops, " + tracking.channels()
                    + " channels tracked, deep sites " + (sites ? "on" : "off")
                    + tracking.attachSocket().map(p -> ", socket " + p).orElse("");
        }
        NettyTracking t = NettyTracking.builder().name(name).sites(sites).mode("agent").start();
        tracking = t;
        Hooks.listener(new AgentHooks(t));
        ChannelScan.Found found = ChannelScan.scan(t, timeoutMs);
        String bound = bindMetrics(t);
        return found.loops() + " event loops, " + found.channels() + " channels open"
                + (found.loopsNotAnswering() > 0 ? " (" + found.loopsNotAnswering()
                + " loops did not answer in time: blocked?)" : "")
                + t.attachSocket().map(p -> ", socket " + p).orElse(", no attach socket: " + t.attachError().orElse("?"))
                + bound;
    }

    /** For an agent loaded at start-up: tracking starts with the first channel; returns the hooks' listener. */
    public static synchronized Hooks.Listener start(String name, boolean sites) {
        if (tracking == null) {
            tracking = NettyTracking.builder().name(name).sites(sites).mode("agent").start();
            bindMetrics(tracking);
        }
        AgentHooks hooks = new AgentHooks(tracking);
        Hooks.listener(hooks);
        return hooks;
    }

    /**
     * Binds routerctl's meters to Micrometer's global registry when the service's class loader sees
     * Micrometer ({@code io.micrometer.core.instrument.Metrics}); otherwise nothing is loaded. By
     * reflection, so that this package links without Micrometer. Returns what it did, for the
     * status line ({@code ", meters bound to Micrometer's global registry"}) or "".
     */
    private static String bindMetrics(NettyTracking t) {
        ClassLoader loader = AgentSupport.class.getClassLoader();
        try {
            Class.forName("io.micrometer.core.instrument.Metrics", false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return "";
        }
        try {
            metrics = (AutoCloseable) Class.forName("io.routerctl.probes.micrometer.RouterctlMetrics", true, loader)
                    .getMethod("bindToGlobalRegistry", io.routerctl.probes.TaskRegistry.class)
                    .invoke(null, t.registry());
            return ", meters bound to Micrometer's global registry";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null
                    ? ite.getCause() : e;
            return ", Micrometer found but not bound (" + cause + ")";
        }
    }

    /** Stops tracking: trackers out of every pipeline, attach socket closed. Returns one line. */
    public static synchronized String detach(long timeoutMs) {
        Hooks.listener(null);
        NettyTracking t = tracking;
        if (t == null) {
            return "routerctl was not attached";
        }
        tracking = null;
        if (metrics != null) {
            try {
                metrics.close();
            } catch (Exception e) {
                // The meters stay with their last values; tracking still stops.
            }
            metrics = null;
        }
        int n = t.stop(timeoutMs, TimeUnit.MILLISECONDS);
        return "trackers removed from " + n + " channels, attach socket closed";
    }
}
