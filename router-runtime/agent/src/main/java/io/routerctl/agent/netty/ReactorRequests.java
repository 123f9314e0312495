package io.routerctl.agent.netty;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.routerctl.netty.NettyTracking;

import java.lang.reflect.Method;
import java.time.Instant;
import java.time.ZonedDateTime;

/**
 * What Reactor Netty (and Spring WebFlux on it) holds for a server connection's request in flight,
 * for a request its codec read before the attach: Reactor Netty keeps the request's operations as
 * the channel's {@code $CONNECTION} attribute, and its public {@code HttpServerRequest} says the
 * method, the URI and when the request was read ({@code timestamp()}). Read by reflection on that
 * interface, so any Reactor Netty that has it answers; another framework, or a connection between
 * requests, answers {@code null}.
 *
 * <h2>Cost and threads</h2>
 * Once per connection that had a request in flight at the attach, on its loop, from the attach's
 * scan; looks its methods up each time (a few per attach) and allocates the answer.
 */
final class ReactorRequests {

    /** The name of Reactor Netty's channel attribute for its connection's operations. */
    static final String CONNECTION = "$CONNECTION";
    static final String SERVER_REQUEST = "reactor.netty.http.server.HttpServerRequest";

    private ReactorRequests() {
    }

    /** The request Reactor Netty is serving on {@code ch}, or {@code null}. On {@code ch}'s loop. */
    static NettyTracking.OpenRequest of(Channel ch) {
        if (!AttributeKey.exists(CONNECTION)) {
            return null; // not Reactor Netty; and asking would make the key
        }
        Object ops = ch.attr(AttributeKey.valueOf(CONNECTION)).get();
        if (ops == null) {
            return null;
        }
        try {
            Class<?> request = Class.forName(SERVER_REQUEST, false, ops.getClass().getClassLoader());
            if (!request.isInstance(ops)) {
                return null;
            }
            Object method = request.getMethod("method").invoke(ops);
            Object uri = request.getMethod("uri").invoke(ops);
            if (method == null || !(uri instanceof String u)) {
                return null;
            }
            return new NettyTracking.OpenRequest(method.toString(), u, readAt(request, ops));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** When Reactor Netty read the request ({@code timestamp()}), or {@code null} if it does not say. */
    private static Instant readAt(Class<?> request, Object ops) {
        try {
            Method timestamp = request.getMethod("timestamp");
            return timestamp.invoke(ops) instanceof ZonedDateTime at ? at.toInstant() : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
