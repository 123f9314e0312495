package io.routerctl.console.demo;

import io.routerctl.console.CommandException;
import io.routerctl.console.ExitCode;
import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.attach.AttachException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sample router running as a child JVM: started with a command line, its output (stdout and
 * stderr merged) copied line by line to ours, its attach socket awaited, and stopped on
 * {@link #close()}. The child is also told to watch us ({@code --watch-parent}) so it exits if we
 * die without running shutdown hooks.
 *
 * <h2>Thread safety</h2>
 * {@link #close()} may be called from any thread (a shutdown hook) and more than once; the other
 * methods belong to the thread that started the process. One daemon thread copies the output.
 */
public final class SampleProcess implements AutoCloseable {

    /** How long {@link #close()} lets the child exit after SIGTERM before killing it. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** A JVM's exit code after SIGINT (128 + 2). */
    static final int EXIT_ON_SIGINT = 130;

    private final Process process;
    private final Thread pump;

    private SampleProcess(Process process, Thread pump) {
        this.process = process;
        this.pump = pump;
    }

    /**
     * Starts {@code command} with its output copied to {@code out}.
     *
     * @throws CommandException exit 2 if the process cannot be started (no java, say)
     */
    public static SampleProcess start(List<String> command, PrintWriter out) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw CommandException.usage("cannot start the sample (" + String.join(" ", command) + "): " + e.getMessage());
        }
        Thread pump = new Thread(() -> copy(process, out), "routerctl-demo-output");
        pump.setDaemon(true);
        pump.start();
        return new SampleProcess(process, pump);
    }

    private static void copy(Process process, PrintWriter out) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (out) {
                    out.println(line);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // The child is gone; its exit is reported by whoever waits for it.
        }
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the child still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The child's exit code; only after it exited. */
    public int exitValue() {
        return process.exitValue();
    }

    /**
     * Whether the child ended because of Ctrl-C: a terminal sends SIGINT to the whole foreground
     * process group, so the sample usually exits (code 130) at the same moment as we start to.
     * That is a normal way for the demo to end, not a failure to report.
     */
    public boolean stoppedByInterrupt() {
        return !process.isAlive() && process.exitValue() == EXIT_ON_SIGINT;
    }

    /** Waits up to {@code time} for the child to exit; true if it did. Returns early when it exits. */
    public boolean waitForExit(Duration time) throws InterruptedException {
        return process.waitFor(time.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits until {@code socket} answers a hello, checking every {@code pollEvery}, at most
     * {@code deadline} in all.
     *
     * @throws CommandException exit 3 if the child exits first or the deadline passes, saying which
     */
    public AttachClient awaitAttachable(Path socket, Duration deadline, Duration attachTimeout, Duration pollEvery)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        String lastProblem = "no socket yet";
        while (true) {
            if (!process.isAlive()) {
                drainOutput();
                if (stoppedByInterrupt()) {
                    throw new CommandException(ExitCode.OK, "stopped during startup", null);
                }
                throw CommandException.cannotAttach("the sample exited with code " + process.exitValue()
                        + " before its attach socket answered (its output is above)");
            }
            if (Files.exists(socket)) {
                try {
                    return AttachClient.connect(socket, attachTimeout);
                } catch (AttachException e) {
                    lastProblem = e.getMessage();
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw CommandException.cannotAttach("the sample's attach socket " + socket + " did not answer within "
                        + deadline.toMillis() / 1000 + "s (last: " + lastProblem + ")");
            }
            // Returns at once if the child exits: nothing is waited for in vain.
            process.waitFor(Math.min(left / 1_000_000 + 1, pollEvery.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    /** Lets the output pump finish copying what the child wrote before it exited. */
    public void drainOutput() throws InterruptedException {
        pump.join(TimeUnit.SECONDS.toMillis(2));
    }

    /** Stops the child: SIGTERM, then SIGKILL after {@link #STOP_GRACE}. Harmless if it already exited. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
