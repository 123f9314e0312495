/**
 * The agent's session in a service: the registry, the loop watchdog and the attach socket one
 * attach brings, shared by every instrumentation in the process. Loaded by the agent from the
 * agent jar's {@code routerctl-core/} entries in the class loader that holds probes, never from a
 * class path of the service; depends on probes and the hooks only.
 */
package io.routerctl.agent.core;
