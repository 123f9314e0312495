/**
 * The story's authentication: {@link io.routerctl.samples.auth.LegacyAuth}, a callback-style
 * "C library" with its own threads, and the hand-written adapters from its callback to a future
 * the router awaits: {@link io.routerctl.samples.auth.BuggyAuthAdapter}, whose glue loses wake-ups
 * under concurrency, and {@link io.routerctl.samples.auth.FixedAuthAdapter}, the same adapter
 * written correctly.
 */
package io.routerctl.samples.auth;
