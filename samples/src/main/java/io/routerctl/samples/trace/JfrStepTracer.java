package io.routerctl.samples.trace;

import io.netty.channel.Channel;
import io.routerctl.probes.ProbePoint;
import io.routerctl.runtime.StepTracer;
import jdk.jfr.Recording;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One JFR event per step, recorded by an in-process recording (only the step event enabled)
 * written to a file when the tracer closes.
 *
 * <h2>Thread safety and allocation</h2>
 * Called from every event loop at once; each step allocates its event and the formatted remote
 * address (what a JFR-based peer would do).
 */
public final class JfrStepTracer implements StepTracer, AutoCloseable {

    private final Recording recording;

    /** Starts a recording of step events, dumped to {@code file} on {@link #close()}. */
    public JfrStepTracer(Path file) throws IOException {
        recording = new Recording();
        recording.setName("routerctl-steps");
        recording.enable(StepEvent.class).withoutStackTrace();
        recording.setToDisk(true);
        recording.setDestination(file);
        recording.start();
    }

    @Override
    public void onPoint(Channel channel, long task, ProbePoint point) {
        StepEvent event = new StepEvent();
        if (event.isEnabled()) {
            event.point = point.name();
            event.task = task;
            event.remote = String.valueOf(channel.remoteAddress());
            event.commit();
        }
    }

    @Override
    public void close() {
        recording.stop();
        recording.close();
    }
}
