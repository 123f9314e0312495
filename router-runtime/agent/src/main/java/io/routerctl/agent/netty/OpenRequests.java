package io.routerctl.agent.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.util.AttributeKey;
import io.routerctl.netty.NettyTracking;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * What a framework holds for a server connection's request in flight, for a request its codec
 * read before the attach (whose head the codec no longer has):
 * <ul>
 *   <li>Reactor Netty (and Spring WebFlux on it) keeps the request's operations as the channel's
 *       {@code $CONNECTION} attribute; its public {@code HttpServerRequest} says the method, the
 *       URI and when the request was read ({@code timestamp()});</li>
 *   <li>Vert.x keeps its connection in the pipeline's {@code VertxHandler}, and the connection the
 *       request being answered; its public {@code HttpServerRequest} says the method and the URI
 *       (not when: the request's age stays a lower bound).</li>
 * </ul>
 * Read by reflection (Vert.x's two links are private fields), so a version that keeps them
 * elsewhere, another framework, or a connection between requests answers {@code null}, and the
 * request reads "read before attach" as before.
 *
 * <h2>Cost and threads</h2>
 * Once per connection open at the attach whose codec had read a request, or whose decoder keeps
 * no count (Vert.x's: every such connection), on its loop, from the attach's scan; looks its
 * members up each time and allocates the answer.
 */
final class OpenRequests {

    /** The name of Reactor Netty's channel attribute for its connection's operations. */
    static final String REACTOR_CONNECTION = "$CONNECTION";
    static final String REACTOR_REQUEST = "reactor.netty.http.server.HttpServerRequest";
    static final String VERTX_HANDLER = "io.vertx.core.net.impl.VertxHandler";
    static final String VERTX_REQUEST = "io.vertx.core.http.HttpServerRequest";

    private OpenRequests() {
    }

    /** The request a framework is serving on {@code ch}, or {@code null}. On {@code ch}'s loop. */
    static NettyTracking.OpenRequest of(Channel ch) {
        NettyTracking.OpenRequest r = reactor(ch);
        return r != null ? r : vertx(ch);
    }

    private static NettyTracking.OpenRequest reactor(Channel ch) {
        if (!AttributeKey.exists(REACTOR_CONNECTION)) {
            return null; // not Reactor Netty; and asking would make the key
        }
        Object ops = ch.attr(AttributeKey.valueOf(REACTOR_CONNECTION)).get();
        if (ops == null) {
            return null;
        }
        try {
            Class<?> request = Class.forName(REACTOR_REQUEST, false, ops.getClass().getClassLoader());
            return request.isInstance(ops) ? named(request, ops, readAt(request, ops)) : null;
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

    private static NettyTracking.OpenRequest vertx(Channel ch) {
        for (Map.Entry<String, ChannelHandler> e : ch.pipeline()) {
            ChannelHandler h = e.getValue();
            if (!h.getClass().getName().equals(VERTX_HANDLER)) {
                continue;
            }
            try {
                Object connection = field(h, "conn");
                Object request = connection == null ? null : field(connection, "responseInProgress");
                if (request == null) {
                    return null;
                }
                Class<?> api = Class.forName(VERTX_REQUEST, false, request.getClass().getClassLoader());
                return api.isInstance(request) ? named(api, request, null) : null;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError ex) {
                return null;
            }
        }
        return null;
    }

    /** The request's method and URI, through the framework's public interface {@code api}. */
    private static NettyTracking.OpenRequest named(Class<?> api, Object request, Instant readAt)
            throws ReflectiveOperationException {
        Object method = api.getMethod("method").invoke(request);
        Object uri = api.getMethod("uri").invoke(request);
        if (method == null || !(uri instanceof String u)) {
            return null;
        }
        return new NettyTracking.OpenRequest(method.toString(), u, readAt);
    }

    /** The value of {@code o}'s field {@code name}, declared by its class or a superclass. */
    private static Object field(Object o, String name) throws ReflectiveOperationException {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // its superclass, then
            }
        }
        throw new NoSuchFieldException(name);
    }
}
