package io.routerctl.console.demo;

import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ExitCode;
import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.attach.AttachException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sample router running as a child JVM: started with a command line, its output (stdout and
 * stderr merged) copied line by line to ours and, if asked, to a log file, its attach socket
 * awaited, and stopped on {@link #close()}. While a full-screen view runs, the copy to our output
 * can be stopped ({@link #stopPassingThrough()}); the log keeps everything. The child is also told to watch us ({@code --watch-parent}) so it exits if we
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
    private final Path log;
    private Thread pump;
    /** Whether the pump still copies to our output; cleared by the demo's thread, read by the pump. */
    private volatile boolean passThrough = true;

    private SampleProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} with its output copied to {@code out}.
     *
     * @throws CommandException exit 2 if the process cannot be started (no java, say)
     */
    public static SampleProcess start(List<String> command, PrintWriter out) {
        return start(command, out, null);
    }

    /**
     * Starts {@code command} with its output copied to {@code out} and, if {@code log} is not
     * {@code null}, to that file (created or truncated).
     *
     * @throws CommandException exit 2 if the process cannot be started, or the log cannot be written
     */
    public static SampleProcess start(List<String> command, PrintWriter out, Path log) {
        Writer logWriter = null;
        if (log != null) {
            try {
                logWriter = Files.newBufferedWriter(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw CommandException.usage("cannot write the sample's log " + log + ": " + e.getMessage());
            }
        }
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            closeQuietly(logWriter);
            throw CommandException.usage("cannot start the sample (" + String.join(" ", command) + "): " + e.getMessage());
        }
        SampleProcess sample = new SampleProcess(process, log);
        Writer logTo = logWriter;
        sample.pump = new Thread(() -> sample.copy(out, logTo), "routerctl-demo-output");
        sample.pump.setDaemon(true);
        sample.pump.start();
        return sample;
    }

    private void copy(PrintWriter out, Writer log) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (log != null) {
                    try {
                        log.write(line);
                        log.write('\n');
                        log.flush();
                    } catch (IOException e) {
                        // A full disk must not stop the demo; the lines still reach the output if shown.
                    }
                }
                synchronized (out) {
                    // Checked under the lock: whoever holds it after stopPassingThrough() sees no more lines.
                    if (passThrough) {
                        out.println(line);
                        out.flush();
                    }
                }
            }
        } catch (IOException e) {
            // The child is gone; its exit is reported by whoever waits for it.
        } finally {
            closeQuietly(log);
        }
    }

    private static void closeQuietly(Writer w) {
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                // nothing more to save
            }
        }
    }

    /**
     * Stops copying the child's output to ours (a full-screen view owns the terminal now); the log,
     * if any, still gets every line.
     */
    public void stopPassingThrough() {
        passThrough = false;
    }

    /** The log file the output also goes to, or {@code null} if none was asked for. */
    public Path log() {
        return log;
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
