package io.routerctl.samples.trace;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event per recorded step: the peer "JFR event per step" of the benchmark.
 *
 * <h2>Thread safety</h2>
 * One instance per step, used by one thread.
 */
@Name("io.routerctl.samples.Step")
@Label("routerctl step")
@Category("routerctl")
@Description("A request or connection passed a probe point")
@StackTrace(false)
final class StepEvent extends Event {
    @Label("Point")
    String point;
    @Label("Task")
    long task;
    @Label("Remote address")
    String remote;
}
