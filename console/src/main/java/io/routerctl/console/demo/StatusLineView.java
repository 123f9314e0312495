package io.routerctl.console.demo;

import io.routerctl.console.render.Printable;
import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.render.Durations;
import io.routerctl.console.render.StuckText;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;

import java.time.Duration;

/**
 * The demo's plain view: every interval, one line of what routerctl sees over the attach socket, e.g.
 * {@code routerctl sees: in flight 41 | stuck 12: 12 waiting on auth after route-resolved (oldest 9.8s)}.
 *
 * <h2>Thread safety</h2>
 * Stateless; see {@link DemoView}.
 */
public final class StatusLineView implements DemoView {

    /**
     * Marks our lines apart from the sample's own output, which is passed through and may carry a
     * status line of its own (what the process sees of itself, and its load).
     */
    public static final String PREFIX = "routerctl sees: ";

    @Override
    public int show(DemoSession session) throws Exception {
        SampleProcess sample = session.sample();
        synchronized (session.out()) {
            session.out().println("routerctl: watching pid " + session.target().info().pid() + " every "
                    + Durations.format(session.interval()) + " (stuck: no progress for "
                    + Durations.format(session.thresholdMs()) + "). Try ./routerctl dump-stuck in another "
                    + "terminal; Ctrl-C stops the demo.");
            session.out().flush();
        }
        while (true) {
            TaskReport report;
            try {
                // Only counts and groups are shown: one task is the least a query may return.
                report = session.target().client().query(TaskQuery.stuck(session.thresholdMs(), 1));
            } catch (AttachException e) {
                if (sample.waitForExit(Duration.ofSeconds(1))) {
                    break;
                }
                throw CommandException.cannotAttach("lost the sample's attach socket: " + e.getMessage());
            }
            synchronized (session.out()) {
                session.out().println(PREFIX + StuckText.statusLine(Printable.record(report)));
                session.out().flush();
            }
            Duration wait = session.interval();
            if (session.untilNanos() != null) {
                long left = session.untilNanos() - System.nanoTime();
                if (left <= 0) {
                    return ExitCode.OK;
                }
                wait = Duration.ofNanos(Math.min(left, wait.toNanos()));
            }
            if (sample.waitForExit(wait)) {
                break;
            }
        }
        sample.drainOutput();
        if (sample.stoppedByInterrupt()) {
            return ExitCode.OK;
        }
        throw CommandException.cannotAttach("the sample exited with code " + sample.exitValue());
    }
}
