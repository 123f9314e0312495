/**
 * The wire protocol, version 1: newline-delimited JSON messages ({@link io.routerctl.probes.wire.WireMessage}),
 * their codec ({@link io.routerctl.probes.wire.WireCodec}, which also checks requests field by
 * field), the operations and error codes, and the shared Jackson configuration. See
 * {@code docs/protocol.md}; golden fixtures under {@code src/test/resources/wire/v1} pin the format.
 */
package io.routerctl.probes.wire;
