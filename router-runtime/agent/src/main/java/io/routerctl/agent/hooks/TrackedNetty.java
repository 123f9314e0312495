package io.routerctl.agent.hooks;

/**
 * The agent's instrumentation of one copy of Netty in a service (the service's own, or one
 * relocated inside a framework), as the agent's entry classes see it. Only {@code java.base} types
 * cross this boundary.
 *
 * <h2>Thread safety</h2>
 * Every method is safe from any thread.
 */
public interface TrackedNetty {

    /** The hooks' listener for this copy's channels, handlers and futures. */
    Hooks.Listener listener();

    /**
     * Finds this copy's event loops and the channels open on them now, and tracks them; waits at
     * most {@code timeoutMs} for the loops. Returns one line: what it found.
     */
    String scan(long timeoutMs);

    /** Switches deep code sites (a stack walk per future) on or off, from now on. */
    void sites(boolean on);

    /**
     * Stops tracking: every tracker leaves its pipeline, the loops' thread-locals are removed and
     * the listeners on pending promises are taken off, waiting at most {@code timeoutMs} for the
     * loops. Returns the channels the trackers were removed from.
     */
    int stop(long timeoutMs);
}
