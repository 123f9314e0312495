/**
 * routerctl's findings as Micrometer meters ({@link io.routerctl.probes.micrometer.RouterctlMetrics}).
 * Micrometer is an optional dependency: only this package refers to it, and a service that never
 * binds these meters never loads it.
 */
package io.routerctl.probes.micrometer;
