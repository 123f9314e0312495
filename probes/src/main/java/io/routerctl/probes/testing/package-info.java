/**
 * Test support for services that use probes: a JUnit 5 extension that fails a test which leaves
 * tracked waits pending or loses a wake-up. Needs junit-jupiter-api on the test classpath (probes
 * declares it {@code provided}).
 */
package io.routerctl.probes.testing;
