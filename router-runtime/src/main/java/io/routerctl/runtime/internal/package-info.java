/**
 * Internal machinery of the runtime: the per-connection tracking handlers, the upstream
 * connections and the per-loop resources. Not an API; may change without notice.
 *
 * <p>The hot-path rules of {@link io.routerctl.runtime} apply: each class states what it allocates
 * and which thread writes it.
 */
package io.routerctl.runtime.internal;
