package io.routerctl.runtime;

import io.netty.channel.Channel;
import io.routerctl.probes.ProbePoint;

/**
 * An extra observer of every probe point the runtime and the application record, besides the task
 * registry: for comparing the registry with the usual alternatives (a log line per step, a JFR
 * event per step). {@link #NONE} by default.
 *
 * <p>Called on the event loop that owns {@code channel}, right after the registry write, for steps
 * and awaits alike. {@code task} is the registry handle, {@link io.routerctl.probes.TaskShard#NO_TASK}
 * when tracking is off.
 *
 * <h2>Thread safety</h2>
 * Implementations are called from every event loop at once and must be safe for that.
 */
@FunctionalInterface
public interface StepTracer {

    /** Records nothing. */
    StepTracer NONE = (channel, task, point) -> { };

    /** The task on {@code channel} passed (or started waiting on) {@code point}. */
    void onPoint(Channel channel, long task, ProbePoint point);
}
