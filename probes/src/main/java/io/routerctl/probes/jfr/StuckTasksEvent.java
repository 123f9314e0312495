package io.routerctl.probes.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The periodic stuck summary: one event per kind and waited-on point with stuck tasks (or one with
 * {@code stuck} 0 when nothing is), counted by {@code dump-stuck}'s rules at 5s. Emitted by JFR's
 * periodic thread only while a recording enables {@value #NAME} (default period 10 s).
 */
@Name(StuckTasksEvent.NAME)
@Label("Stuck Tasks")
@Category("routerctl")
@Description("Tasks without progress for 5 s or far past their point's usual latency, by kind and waited-on point")
@Enabled(false)
@Period("10 s")
@StackTrace(false)
final class StuckTasksEvent extends jdk.jfr.Event {

    static final String NAME = "routerctl.StuckTasks";

    @Label("Kind")
    String kind;

    @Label("Probe Point")
    @Description("The point they wait on; none when they wait on nothing known")
    String point;

    @Label("Location")
    String codeLocation;

    @Label("Stuck")
    int stuck;

    @Label("Lost Wake-ups")
    @Description("How many of them wait on a proven lost wake-up")
    int lostWakeups;

    @Label("Oldest")
    @Description("The longest one of them went without progress")
    @Timespan(Timespan.MILLISECONDS)
    long oldest;

    @Label("Oldest Remote Address")
    String oldestRemote;

    @Label("Oldest Task")
    long oldestTaskId;

    @Label("In Flight")
    @Description("Tasks in flight in the process, every kind")
    int inFlight;
}
