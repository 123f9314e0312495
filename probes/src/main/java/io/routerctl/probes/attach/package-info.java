/**
 * The attach channel: a Unix domain socket per process in a per-user directory, serving the wire
 * protocol ({@code docs/protocol.md}) to same-user clients, and the client the console uses.
 */
package io.routerctl.probes.attach;
