package io.routerctl.probes.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * An event loop found blocked: its heartbeat did not run within the watchdog's threshold. Carries
 * the loop thread's stack at that moment (the event's own stack would be the watchdog's). Committed
 * by the watchdog thread once per episode; off unless a recording enables {@value #NAME}.
 */
@Name(BlockedLoopEvent.NAME)
@Label("Blocked Event Loop")
@Category("routerctl")
@Description("An event loop did not run its heartbeat within the threshold: something holds its thread")
@Enabled(false)
@StackTrace(false)
final class BlockedLoopEvent extends jdk.jfr.Event {

    static final String NAME = "routerctl.BlockedLoop";

    @Label("Loop")
    String loop;

    @Label("Loop Thread")
    String thread;

    @Label("Blocked For")
    @Description("How long the heartbeat had waited when the episode was noticed")
    @Timespan(Timespan.MILLISECONDS)
    long blockedFor;

    @Label("Blocked In")
    @Description("The innermost frame of the service's own code holding the loop, or the innermost frame")
    String blockedIn;

    @Label("Stack")
    @Description("The loop thread's stack, innermost frame first, one frame per line")
    String stack;
}
