/**
 * The snapshot model: immutable copies of what the registry holds, as they cross the wire and as
 * the console, playbooks and snapshot files see them. Plain records of strings and numbers, so that
 * a reader needs no part of the running service to understand them.
 *
 * <p>Field names are written on the wire in snake case ({@code age_ms}, {@code last_step}); see
 * {@code docs/protocol.md}.
 */
package io.routerctl.probes.snapshot;
