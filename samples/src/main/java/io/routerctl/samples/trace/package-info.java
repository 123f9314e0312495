/**
 * The peers the registry is compared with: a log line per step
 * ({@link io.routerctl.samples.trace.LogStepTracer}, the status quo of the story) and a JFR event
 * per step ({@link io.routerctl.samples.trace.JfrStepTracer}), selected with
 * {@code --step-trace log|jfr}.
 */
package io.routerctl.samples.trace;
