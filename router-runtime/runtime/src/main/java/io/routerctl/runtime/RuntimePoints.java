package io.routerctl.runtime;

import io.routerctl.probes.ProbePoint;

/**
 * The probe points the runtime itself records, in the order a request passes them.
 *
 * <ul>
 *   <li>{@link #ACCEPTED}: on a connection, when it becomes active.</li>
 *   <li>{@link #REQUEST_READ}: on a request, when its head (request line and headers) is decoded.</li>
 *   <li>{@link #UPSTREAM_CONNECTED}: the request has an upstream connection, new or reused from the
 *       loop's keep-alive pool.</li>
 *   <li>{@link #UPSTREAM_REQUEST_SENT}: the upstream request was written and flushed.</li>
 *   <li>{@link #UPSTREAM_RESPONSE_READ}: the whole upstream response was read; ends the wait on
 *       {@link #UPSTREAM}.</li>
 *   <li>{@link #RESPONSE_WRITTEN}: the response was written to the client; the request is done.</li>
 *   <li>{@link #UPSTREAM} (await): from the start of an upstream exchange (connect included) until
 *       its response is read or it fails.</li>
 * </ul>
 *
 * <p>Application steps between {@code request-read} and the upstream exchange (such as
 * {@code route-resolved}, {@code auth-requested}, {@code auth-completed}) are declared by the
 * application.
 *
 * <h2>Thread safety</h2>
 * Immutable constants.
 */
public final class RuntimePoints {

    public static final ProbePoint ACCEPTED = ProbePoint.step("accepted");
    public static final ProbePoint REQUEST_READ = ProbePoint.step("request-read");
    public static final ProbePoint UPSTREAM_CONNECTED = ProbePoint.step("upstream-connected");
    public static final ProbePoint UPSTREAM_REQUEST_SENT = ProbePoint.step("upstream-request-sent");
    public static final ProbePoint UPSTREAM_RESPONSE_READ = ProbePoint.step("upstream-response-read");
    public static final ProbePoint RESPONSE_WRITTEN = ProbePoint.step("response-written");
    public static final ProbePoint UPSTREAM = ProbePoint.await("upstream");

    private RuntimePoints() {
    }
}
