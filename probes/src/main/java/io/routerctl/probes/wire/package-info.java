/**
 * The wire protocol: newline-delimited JSON messages, each with a version, and their codec. See
 * {@code docs/protocol.md}.
 */
package io.routerctl.probes.wire;
