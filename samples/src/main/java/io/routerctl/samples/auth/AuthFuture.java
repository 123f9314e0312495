package io.routerctl.samples.auth;

import io.routerctl.runtime.RequestContext;

/**
 * The pending result of one authentication, as the router awaits it.
 *
 * <h2>Thread safety</h2>
 * {@link #whenComplete} is called once, on the event loop given to
 * {@link AuthAdapter#authenticate}; the library completes the future from its own threads.
 */
public interface AuthFuture {

    /**
     * Runs {@code listener} on the event loop with the result, once it is known: at once if it is
     * known already. Call once. (The buggy adapter breaks this promise sometimes: that is its bug.)
     */
    void whenComplete(RequestContext context, AuthListener listener);
}
