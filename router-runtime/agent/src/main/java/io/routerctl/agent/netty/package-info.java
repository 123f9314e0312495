/**
 * The agent's instrumentation of Netty, the side that runs inside the service: the hooks' listener
 * for one copy of Netty, the scan that finds the event loops and channels a service had before the
 * attach, and the start and stop of the Netty integration ({@code io.routerctl.netty}) on the
 * agent's session. Loaded by the agent, once per attach and per copy of Netty, in a class loader
 * whose parent loaded that copy (names remapped where a framework relocated Netty); never on a
 * class path of the service.
 */
package io.routerctl.agent.netty;
