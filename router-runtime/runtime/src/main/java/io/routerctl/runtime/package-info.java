/**
 * The thread-per-core Netty HTTP/1.1 runtime that registers every connection and request in the
 * probes {@link io.routerctl.probes.TaskRegistry}.
 *
 * <p>Entry points: {@link io.routerctl.runtime.RouterRuntime} (start, configure, close),
 * {@link io.routerctl.runtime.RequestHandler} (what the application implements),
 * {@link io.routerctl.runtime.RequestContext} (what the application records steps and waits on,
 * and answers through), {@link io.routerctl.runtime.UpstreamClient} (the per-loop HTTP client),
 * {@link io.routerctl.runtime.NettyTracked} (tracked waits on Netty futures completed elsewhere,
 * resumed on the request's loop), {@link io.routerctl.runtime.RuntimePoints} (the probe points the runtime records itself) and
 * {@link io.routerctl.runtime.Transport} (epoll or NIO, for in-process helpers on the same transport).
 * Every loop is watched by the runtime's {@link io.routerctl.probes.LoopWatchdog}.
 *
 * <h2>Hot-path rules for the whole package</h2>
 * <ul>
 *   <li>Everything that runs per request runs on the event loop that owns the connection, and
 *       writes only that loop's {@link io.routerctl.probes.TaskShard}: no lock, no CAS, no shared
 *       map on the path.</li>
 *   <li>Allocation per request: what Netty needs to decode, aggregate and encode the messages, plus
 *       one {@link io.routerctl.runtime.RequestContext}, which doubles as the write listener of its
 *       response. Per connection: one connection state object and two small pipeline handlers.
 *       Recording a step allocates nothing.</li>
 *   <li>Application code that completes work on another thread must hop back to the context's
 *       event loop ({@link io.netty.channel.EventLoop#execute}) before touching the context.</li>
 * </ul>
 */
package io.routerctl.runtime;
