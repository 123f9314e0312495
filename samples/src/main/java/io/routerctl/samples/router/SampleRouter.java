package io.routerctl.samples.router;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.routerctl.runtime.RequestContext;
import io.routerctl.runtime.RequestHandler;
import io.routerctl.runtime.UpstreamCallback;
import io.routerctl.samples.auth.AuthAdapter;
import io.routerctl.samples.auth.AuthFuture;
import io.routerctl.samples.auth.AuthListener;
import io.routerctl.samples.auth.AuthResult;

import java.net.SocketAddress;

/**
 * The router: {@code GET /api/<anything>} with {@code Authorization: Bearer <token>} is resolved,
 * authenticated through the {@link AuthAdapter} (waiting on {@code auth}), forwarded to the
 * upstream backend over the loop's own keep-alive connection (waiting on {@code upstream}), and
 * answered with the upstream's status and body. Without a bearer token: 401; a refused token: 403;
 * any other path or method: 404; an upstream failure: 502. With the blocking misbehaviour on,
 * {@code GET /api/report} is rendered by a {@link ReportRenderer} on the event loop (no token
 * needed), blocking the loop meanwhile.
 *
 * <p>Steps of a request: {@code request-read}, {@code route-resolved}, {@code auth-requested},
 * (waiting on {@code auth}), {@code auth-completed}, (waiting on {@code upstream})
 * {@code upstream-connected}, {@code upstream-request-sent}, {@code upstream-response-read},
 * {@code response-written}.
 *
 * <h2>Thread safety and allocation</h2>
 * One stateless instance serves all loops; it is its own auth listener and upstream callback, so
 * a request allocates no continuation objects here: only the adapter's future and completer, and
 * the upstream request.
 */
public final class SampleRouter implements RequestHandler, AuthListener, UpstreamCallback {

    private static final String API_PREFIX = "/api/";
    private static final String BEARER = "Bearer ";

    private final AuthAdapter auth;
    private final SocketAddress upstream;
    private final ReportRenderer blockingReports;

    public SampleRouter(AuthAdapter auth, SocketAddress upstream) {
        this(auth, upstream, null);
    }

    /**
     * @param blockingReports when not null ({@code --misbehave block-loop}), {@code GET /api/report}
     *                        is answered by this renderer, right on the event loop: it blocks the loop
     */
    public SampleRouter(AuthAdapter auth, SocketAddress upstream, ReportRenderer blockingReports) {
        this.auth = auth;
        this.upstream = upstream;
        this.blockingReports = blockingReports;
    }

    @Override
    public void handle(RequestContext ctx, FullHttpRequest request) {
        if (request.method() != HttpMethod.GET || !request.uri().startsWith(API_PREFIX)) {
            ctx.respond(HttpResponseStatus.NOT_FOUND, "not found\n");
            return;
        }
        ctx.step(RouterPoints.ROUTE_RESOLVED);
        if (blockingReports != null && request.uri().equals(ReportRenderer.PATH)) {
            ctx.respond(HttpResponseStatus.OK, blockingReports.render()); // the misbehaviour: blocks this loop
            return;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.length() == BEARER.length()) {
            FullHttpResponse unauthorized = text(HttpResponseStatus.UNAUTHORIZED, "bearer token required\n");
            unauthorized.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            ctx.respond(unauthorized);
            return;
        }
        String token = authorization.substring(BEARER.length()).trim();
        AuthFuture future = auth.authenticate(token, ctx.eventLoop());
        ctx.step(RouterPoints.AUTH_REQUESTED);
        ctx.await(RouterPoints.AUTH);
        future.whenComplete(ctx, this);
    }

    @Override
    public void onAuth(RequestContext ctx, AuthResult result) {
        ctx.resume(RouterPoints.AUTH_COMPLETED);
        FullHttpRequest request = ctx.request();
        if (!ctx.isOpen() || request == null) {
            return;
        }
        if (!result.allowed()) {
            ctx.respond(HttpResponseStatus.FORBIDDEN, "token refused\n");
            return;
        }
        FullHttpRequest forward = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, request.uri(),
                Unpooled.EMPTY_BUFFER);
        forward.headers().set(HttpHeaderNames.HOST, "upstream");
        forward.headers().set("X-Principal", result.principal());
        ctx.upstream().exchange(ctx, upstream, forward, this);
    }

    @Override
    public void onResponse(RequestContext ctx, FullHttpResponse response) {
        FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
                response.content().retain());
        String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null) {
            answer.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        }
        response.release();
        ctx.respond(answer);
    }

    @Override
    public void onFailure(RequestContext ctx, Throwable cause) {
        ctx.respond(HttpResponseStatus.BAD_GATEWAY, "upstream failed\n");
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, java.nio.charset.StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return r;
    }
}
