package io.routerctl.probes.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A lost wake-up proven: the completer of a future a task waits on was collected without completing
 * it, so nothing can ever wake the task. Committed by the detector thread; off unless a recording
 * enables {@value #NAME}.
 */
@Name(LostWakeupEvent.NAME)
@Label("Lost Wake-up")
@Category("routerctl")
@Description("A future's completer was dropped without completing it: the task waiting on it can never resume")
@Enabled(false)
@StackTrace(false)
final class LostWakeupEvent extends jdk.jfr.Event {

    static final String NAME = "routerctl.LostWakeup";

    @Label("Probe Point")
    @Description("The point the task waits on")
    String point;

    @Label("Location")
    @Description("Where the point is declared, or where the future was created")
    String codeLocation;

    @Label("Kind")
    String kind;

    @Label("Task")
    long taskId;

    @Label("Remote Address")
    @Description("The peer of the task's connection, as ss -tn shows it")
    String remote;

    @Label("Last Step")
    String lastStep;

    @Label("Loop")
    String loop;

    @Label("Waited")
    @Timespan(Timespan.MILLISECONDS)
    long waited;

    @Label("Task Age")
    @Timespan(Timespan.MILLISECONDS)
    long age;
}
