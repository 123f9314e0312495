package io.routerctl.runtime;

import io.netty.handler.codec.http.FullHttpResponse;

/**
 * Receives the outcome of an {@link UpstreamClient#exchange upstream exchange}, on the request's
 * event loop. Pass one shared instance for all requests (the context travels as an argument), so
 * that an exchange allocates no callback object.
 *
 * <h2>Thread safety</h2>
 * Called on the event loop of the request; a shared instance is called from several loops.
 */
public interface UpstreamCallback {

    /** The upstream answered; the callback owns {@code response} and must release it. */
    void onResponse(RequestContext context, FullHttpResponse response);

    /** The exchange failed (connect refused, connection closed before the response, ...). */
    void onFailure(RequestContext context, Throwable cause);
}
