package io.routerctl.console.demo;

import io.routerctl.console.context.CommandException;
import io.routerctl.console.render.Durations;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The demo's full-screen view: {@code routerctl top} on the user's terminal against the sample,
 * until the user quits it. The sample's own output would scribble over the screen, so it stops
 * being passed through while top runs; it goes on into the sample's log, whose place is said
 * before top opens and again when it closes.
 *
 * <h2>Thread safety</h2>
 * Stateless; see {@link DemoView}.
 */
public final class TopDemoView implements DemoView {

    /** Opens top on a socket until the user quits, returning its exit code; {@code TopCommand::watch} in production. */
    @FunctionalInterface
    public interface TopRunner {
        int watch(Path socket, Duration timeout, Duration interval, long olderThanMs) throws Exception;
    }

    private final TopRunner top;
    private final Duration attachTimeout;

    public TopDemoView(TopRunner top, Duration attachTimeout) {
        this.top = top;
        this.attachTimeout = attachTimeout;
    }

    @Override
    public int show(DemoSession session) throws Exception {
        SampleProcess sample = session.sample();
        PrintWriter out = session.out();
        String log = sample.log() == null ? "(not kept)" : sample.log().toString();
        synchronized (out) {
            out.println("routerctl: opening top on pid " + session.target().info().pid() + " (stuck: no progress for "
                    + Durations.format(session.thresholdMs()) + "); the sample's output goes to " + log);
            out.flush();
        }
        sample.stopPassingThrough();
        int code;
        try {
            code = top.watch(session.target().socket(), attachTimeout, session.interval(), session.thresholdMs());
        } finally {
            synchronized (out) {
                out.println("routerctl: top closed; stopping the sample. Its output: " + log);
                out.flush();
            }
        }
        if (!sample.isAlive() && !sample.stoppedByInterrupt()) {
            throw CommandException.cannotAttach("the sample exited with code " + sample.exitValue()
                    + " while top ran (its output: " + log + ")");
        }
        return code;
    }
}
