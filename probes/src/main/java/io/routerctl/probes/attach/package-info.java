/**
 * The attach channel: a Unix domain socket per process in a per-user directory, serving the wire
 * protocol ({@code docs/protocol.md}) to same-user clients, and the client the console uses.
 *
 * <h2>Who is who</h2>
 * <ul>
 *   <li>{@link io.routerctl.probes.attach.AttachDirectory}: where sockets live, which targets are
 *       alive, whether a directory is safe to use.</li>
 *   <li>{@link io.routerctl.probes.attach.AttachServer}: the target side; package-private
 *       {@code ServerSession} (one per client: reader and writer thread), {@code TargetService}
 *       (the answers, all registry reads) and {@code PeerPolicy} (who may attach).</li>
 *   <li>{@link io.routerctl.probes.attach.AttachClient}: the only way a tool talks to a target.</li>
 * </ul>
 *
 * <h2>Rules</h2>
 * No thread of this package ever runs on, or waits for, an event loop of the service: every answer
 * is a registry read, and registry reads never block the registry's writers. Each client costs two
 * daemon threads and a bounded buffer; a client that stops reading stalls only those.
 */
package io.routerctl.probes.attach;
