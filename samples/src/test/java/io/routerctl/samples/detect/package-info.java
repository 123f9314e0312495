/** End-to-end tests of routerctl's detectors on the sample router: lost wake-ups proven, blocked loops shown. */
package io.routerctl.samples.detect;
