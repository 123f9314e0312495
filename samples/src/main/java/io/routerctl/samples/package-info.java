/**
 * The runnable story: {@link io.routerctl.samples.SampleMain} (the samples jar's command line:
 * {@code sample} and {@code demo}) and {@link io.routerctl.samples.SampleServer} (the router, its
 * upstream backend and the auth library, assembled and started together).
 */
package io.routerctl.samples;
