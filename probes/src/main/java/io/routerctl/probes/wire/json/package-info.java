/**
 * The JSON of the attach protocol, with no dependency: {@link io.routerctl.probes.wire.json.Json}
 * parses a line into a tree, writes a tree or a record as one line, and binds trees to the records
 * of {@code io.routerctl.probes.snapshot} and back.
 *
 * <h2>Why not a JSON library</h2>
 * probes runs inside the user's service, which may have its own JSON library at its own version;
 * probes must not bring one. The protocol uses a small, fixed part of JSON, and the golden fixtures
 * under {@code probes/src/test/resources/wire} pin its bytes. The parser's limits are explicit
 * ({@link io.routerctl.probes.wire.json.JsonReader.Limits}), because its input comes from any local
 * process of the same user. The console and playbooks, which run in routerctl's own JVM, use
 * Jackson; the property tests of this package use it as the oracle.
 *
 * <h2>The tree</h2>
 * An object is a {@code Map<String, Object>} (insertion order), an array a {@code List<Object>}, a
 * string a {@code String}, an integer a {@code Long} (a {@code BigInteger} past its range), any other
 * number a {@code Double}, {@code true}/{@code false} a {@code Boolean}, and {@code null} is
 * {@code null}.
 *
 * <h2>Records and enums</h2>
 * A record is written as an object of its components, in declaration order, named in snake case
 * ({@code takenAtEpochMs} as {@code taken_at_epoch_ms}); an enum as its {@code toString()} (the
 * protocol's enums return their wire name there). Reading does the reverse; fields the record does
 * not have are ignored, components the object lacks take {@code null}, 0 or false.
 */
package io.routerctl.probes.wire.json;
