/**
 * routerctl for any Netty service: connections, HTTP/1.1 requests and HTTP/2 streams registered in
 * the probes {@link io.routerctl.probes.TaskRegistry}, from handlers added to the service's own
 * pipelines, by one line of code ({@link io.routerctl.netty.NettyTracking#track}) or by the routerctl
 * agent ({@code probes/agent}), which also observes the service's handlers and futures through
 * {@link io.routerctl.netty.hooks.Hooks}.
 *
 * <h2>What a service gets</h2>
 * <ul>
 *   <li>A connection task per channel, server and client side, from the moment it is active (or
 *       seen, for channels open before an agent attached), idle between requests.</li>
 *   <li>A request task per HTTP/1.1 request (behind an {@code HttpServerCodec} or
 *       {@code HttpRequestDecoder}) and, with the agent, per HTTP/2 stream, labelled with its method
 *       and path, from its head read to its last content written; for other protocols, an exchange
 *       per inbound message until the next outbound write.</li>
 *   <li>With the agent: a step per application handler that returned ({@code TicketHandler (ticket)
 *       returned}), and a wait per future created or listened to while a request was dispatched,
 *       proven lost when the future is collected incomplete.</li>
 * </ul>
 *
 * <h2>Hot-path rules for the whole package</h2>
 * <ul>
 *   <li>Every handler here runs on its channel's event loop and writes only that loop's shard.</li>
 *   <li>Allocation: per connection one {@code ConnectionTracker}; per HTTP connection one
 *       {@code HttpRequestTracker}; per request the label string ({@code method + " " + path});
 *       per request left waiting on a future one {@code FutureWatch}, one link and the future's
 *       completion node. Recording a step allocates nothing.</li>
 *   <li>Nothing here may break the service: the agent's entry points catch and count their own
 *       failures ({@link io.routerctl.probes.internal.InternalErrors}).</li>
 * </ul>
 */
package io.routerctl.netty;
