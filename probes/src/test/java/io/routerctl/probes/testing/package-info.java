/** Test helpers shared by the probes tests and, through the test jar, by other modules: a frozen clock. */
package io.routerctl.probes.testing;
