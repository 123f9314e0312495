/**
 * The built-in load generator: an open-loop HTTP client that sends at a fixed rate over a growing
 * pool of keep-alive connections and records, per request, the client's socket address and the
 * outcome, so that hung requests can be matched with what {@code routerctl} reports.
 */
package io.routerctl.samples.load;
