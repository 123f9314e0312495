package io.routerctl.netty;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.routerctl.netty.hooks.Hooks;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.internal.InternalErrors;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agent's advices do, once {@link Hooks} hands them here: track each channel that becomes
 * active, record the application handlers a request passes through, and remember the futures
 * created while a request is dispatched (the {@link ConnectionTracker} links the one left waiting).
 *
 * <h2>Allocation and threads</h2>
 * Called on whichever thread runs the instrumented code. {@link #readEnter}/{@link #readExit}: on
 * the channel's loop, nothing allocated (the handler's points are cached on first sight).
 * {@link #futureCreated}: on any thread; outside a tracked dispatch one thread-local lookup and
 * nothing else; inside one, nothing allocated without deep sites, and with them a stack walk and
 * its site string per future (the reason they are off by default).
 */
final class AgentHooks implements Hooks.Listener {

    private static final Set<String> SKIPPED_PREFIXES = Set.of("java.", "jdk.", "sun.", "io.netty.", "io.routerctl.netty.",
            "io.routerctl.probes.", "io.routerctl.agent.",
            "reactor.core.", "kotlin.", "scala.");
    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final ConcurrentHashMap<String, ProbePoint> SITES = new ConcurrentHashMap<>();
    private static final int MAX_SITES = 4096;

    private final NettyTracking tracking;

    AgentHooks(NettyTracking tracking) {
        this.tracking = tracking;
    }

    @Override
    public void channelActive(Object pipeline) {
        tracking.install(((ChannelPipeline) pipeline).channel(), false);
    }

    @Override
    public void readEnter(Object o) {
        Dispatch d = Dispatch.ifOpen();
        if (d == null) {
            return;
        }
        ChannelHandlerContext ctx = (ChannelHandlerContext) o;
        Class<?> type = ctx.handler().getClass();
        if (!ConnectionTracker.isApplication(type)) {
            return;
        }
        HandlerPoints p = HandlerPoints.of(type, ctx.name());
        boolean again = d.current() == p; // an override calling super.channelRead
        d.enter(p);
        if (!again) {
            d.shard.step(d.task, p.called);
        }
    }

    @Override
    public void readExit(Object o, Throwable thrown) {
        Dispatch d = Dispatch.ifOpen();
        if (d == null) {
            return;
        }
        HandlerPoints p = d.current();
        if (p == null || !ConnectionTracker.isApplication(((ChannelHandlerContext) o).handler().getClass())) {
            return;
        }
        d.exit();
        if (d.leaf == null) {
            d.leaf = p;
            d.shard.step(d.task, thrown == null ? p.returned : p.threw);
        }
    }

    @Override
    public void futureCreated(Object future) {
        if (future instanceof ChannelFuture) {
            return; // a write's or a connect's promise, not something a request waits on
        }
        Dispatch d = Dispatch.ifOpen();
        if (d == null || d.task == TaskShard.NO_TASK || d.futureCount >= Dispatch.MAX_FUTURES) {
            return;
        }
        ProbePoint point;
        if (d.sites) {
            point = site(future);
        } else {
            HandlerPoints p = d.current();
            point = p != null ? p.future : d.leaf != null ? d.leaf.future : ConnectionTracker.FUTURE;
        }
        d.addFuture(future, point);
    }

    /** {@code CompletableFuture from AuthAdapter.check(AuthAdapter.java:42)}: the first application frame. */
    static ProbePoint site(Object future) {
        StackWalker.StackFrame frame = WALKER.walk(s -> s.filter(f -> !skipped(f.getClassName())).findFirst())
                .orElse(null);
        if (frame == null) {
            return ConnectionTracker.FUTURE;
        }
        String cls = frame.getClassName();
        String name = HandlerPoints.simpleName(future.getClass()) + " from "
                + cls.substring(cls.lastIndexOf('.') + 1) + "." + frame.getMethodName()
                + "(" + frame.getFileName() + ":" + frame.getLineNumber() + ")";
        if (name.length() > 120) {
            name = name.substring(0, 120);
        }
        ProbePoint p = SITES.get(name);
        if (p == null) {
            if (SITES.size() >= MAX_SITES) {
                return ConnectionTracker.FUTURE;
            }
            String n = name;
            p = SITES.computeIfAbsent(n, k -> ProbePoint.observed(k, ProbePoint.Kind.AWAIT, cls));
        }
        return p;
    }

    private static boolean skipped(String className) {
        for (String prefix : SKIPPED_PREFIXES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void failed(Throwable t) {
        InternalErrors.record("routerctl agent hook", t);
    }
}
