package io.routerctl.runtime;

import io.netty.handler.codec.http.FullHttpRequest;

/**
 * What the application implements: called once per request, on the event loop that owns the
 * connection, after the request was read whole.
 *
 * <p>The handler answers, now or later, through {@link RequestContext#respond}; between the two it
 * records its steps and waits on the context. Requests pipelined on one connection are handed over
 * one at a time: the next only after the previous one was answered.
 *
 * <p>{@code request} belongs to the runtime, which releases it when the request finishes;
 * {@code retain()} it to keep it longer.
 *
 * <h2>Thread safety</h2>
 * Called on event-loop threads, one request of a connection at a time, but for different
 * connections on several loops at once: an implementation shared by all loops must be safe for
 * that (stateless, or loop-confined state).
 */
@FunctionalInterface
public interface RequestHandler {

    /** Handles {@code request}; exceptions thrown answer 500 and close the connection. */
    void handle(RequestContext context, FullHttpRequest request) throws Exception;
}
