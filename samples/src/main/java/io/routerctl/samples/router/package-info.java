/**
 * The sample router of the story: {@link io.routerctl.samples.router.SampleRouter} (the request
 * handler: route, authenticate through the legacy library, forward upstream, reply),
 * {@link io.routerctl.samples.router.UpstreamBackend} (the embedded backend it forwards to),
 * {@link io.routerctl.samples.router.ReportRenderer} (the blocking render of the
 * {@code --misbehave block-loop} pathology) and
 * {@link io.routerctl.samples.router.RouterPoints} (its probe points).
 */
package io.routerctl.samples.router;
