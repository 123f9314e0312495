/** Implementation details of probes; not an API. */
package io.routerctl.probes.internal;
