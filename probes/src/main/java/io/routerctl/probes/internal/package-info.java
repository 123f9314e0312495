/**
 * Implementation details of probes; not an API, may change at any commit. Holds
 * {@link io.routerctl.probes.internal.LineReader}, the capped line reader the attach server and
 * client share.
 */
package io.routerctl.probes.internal;
