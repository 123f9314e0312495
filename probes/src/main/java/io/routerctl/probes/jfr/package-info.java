/**
 * routerctl's findings as JFR events ({@link io.routerctl.probes.jfr.FlightEvents}): no dependency,
 * {@code jdk.jfr} is in every JDK; off unless a recording enables them.
 */
package io.routerctl.probes.jfr;
