/**
 * The agent's shim in a gRPC server: classes made once per class loader of gRPC's API and never
 * dropped, since gRPC keeps their objects in open calls across a detach; they relay to the
 * attach's tracking through the hooks, holding it weakly.
 */
package io.routerctl.agent.grpc;
