package io.routerctl.agent.netty;

import io.netty.channel.Channel;
import io.routerctl.agent.hooks.Hooks;
import io.routerctl.agent.hooks.ServiceSession;
import io.routerctl.agent.hooks.TrackedNetty;
import io.routerctl.netty.NettyTracking;
import io.routerctl.probes.LoopWatchdog;
import io.routerctl.probes.TaskRegistry;

import java.util.concurrent.TimeUnit;

/**
 * The agent's instrumentation of one copy of Netty: the Netty integration ({@link NettyTracking})
 * filling the session's registry, watched by the session's watchdog, its observer fed by the hooks.
 * Loaded by the agent in a class loader whose parent loaded that copy of Netty (with the copy's
 * relocated package names, where a framework relocated it), once per attach.
 *
 * <h2>Thread safety</h2>
 * Safe from any thread.
 */
public final class NettyInstrumentation implements TrackedNetty {

    private final NettyTracking tracking;
    private final AgentHooks hooks;

    private NettyInstrumentation(NettyTracking tracking) {
        this.tracking = tracking;
        this.hooks = new AgentHooks(tracking.observer());
    }

    /**
     * Starts tracking this copy into {@code session}'s registry. Called by the agent, reflectively.
     */
    public static TrackedNetty start(ServiceSession session, boolean sites) {
        GrpcCalls grpc = new GrpcCalls();
        NettyTracking t = NettyTracking.builder()
                .mode("agent")
                .attach(false)
                .registry((TaskRegistry) session.registry())
                .watchdog((LoopWatchdog) session.watchdog())
                .sites(sites)
                .handlerSteps(true)
                .completionRelay(Hooks::relay)
                .signalWaits(AgentHooks.SINK_WAITS)
                .codecWatcher(grpc)
                .openRequests(OpenRequests::of)
                .start();
        grpc.tracking(t);
        try {
            Hooks.addHandOff(grpc);
        } catch (LinkageError olderHooks) {
            // hooks defined by an older agent in this JVM: gRPC's calls are tracked as streams only
        }
        NettyInstrumentation n = new NettyInstrumentation(t);
        session.describe(n::describe);
        return n;
    }

    /** {@code Netty 4.2.18.Final}, with deep sites when on. */
    private String describe() {
        String version = NettyTracking.nettyVersion();
        String name = Channel.class.getName().equals("io.netty.channel.Channel") ? "Netty"
                : "Netty (" + Channel.class.getPackageName().replace(".io.netty.channel", "") + ")";
        return name + (version == null ? "" : " " + version) + (tracking.sites() ? ", deep sites on" : "");
    }

    @Override
    public Hooks.Listener listener() {
        return hooks;
    }

    @Override
    public String scan(long timeoutMs) {
        ChannelScan.Found found = ChannelScan.scan(tracking, timeoutMs);
        return found.loops() + " event loops, " + found.channels() + " channels open"
                + (found.loopsNotAnswering() > 0 ? " (" + found.loopsNotAnswering()
                + " loops did not answer in time: blocked?)" : "");
    }

    @Override
    public void sites(boolean on) {
        tracking.sites(on);
    }

    @Override
    public int stop(long timeoutMs) {
        return tracking.stop(timeoutMs, TimeUnit.MILLISECONDS);
    }
}
