package io.routerctl.samples.auth;

import io.routerctl.runtime.RequestContext;

/**
 * Continues a request once its authentication is known. Called on the request's event loop. One
 * shared instance serves every request (the context travels as an argument).
 *
 * <h2>Thread safety</h2>
 * Called from several event loops at once.
 */
@FunctionalInterface
public interface AuthListener {
    void onAuth(RequestContext context, AuthResult result);
}
