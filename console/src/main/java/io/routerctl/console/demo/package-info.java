/**
 * What {@code routerctl demo} runs: the sample router as a child JVM
 * ({@link io.routerctl.console.demo.SampleProcess}), and the view that shows what routerctl sees
 * in it ({@link io.routerctl.console.demo.DemoView}: top on a terminal, else one status line every
 * few seconds).
 */
package io.routerctl.console.demo;
