package io.routerctl.samples.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code routerctl sample} as a user runs it: a separate JVM started from this test's classpath
 * with its own attach directory, whose start block tells the port, pid and attach socket. Its
 * output is read all along (so the child never blocks on a full pipe) and kept for failure messages.
 *
 * <h2>Thread safety</h2>
 * Accessors are safe from any thread; {@link #close()} may be called more than once.
 */
final class SampleRouterProcess implements AutoCloseable {

    private static final Pattern ROUTER = Pattern.compile("^ {2}router +http://([0-9.]+):(\\d+) ");
    private static final Pattern PID = Pattern.compile("^ {2}pid +(\\d+)$");
    private static final Pattern ATTACH = Pattern.compile("^ {2}attach +(/\\S+\\.sock)$");
    private static final Pattern METRICS = Pattern.compile("^ {2}metrics +(http://\\S+/metrics)$");

    private final Process process;
    private final Thread shutdownKill;
    private final List<String> output = new ArrayList<>();
    private String host;
    private int port = -1;
    private long pid = -1;
    private Path socket;
    private String metrics;
    private boolean outputEnded;

    private SampleRouterProcess(Process process) {
        this.process = process;
        this.shutdownKill = new Thread(process::destroyForcibly, "kill-sample-router");
        Runtime.getRuntime().addShutdownHook(shutdownKill);
        Thread pump = new Thread(this::readOutput, "sample-router-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code routerctl sample --port 0 --loops 2 --auth-adapter <adapter>} with attach sockets in
     * {@code attachDir} and waits (at most {@code deadline}) for its start block.
     */
    static SampleRouterProcess start(String adapter, Path attachDir, Duration deadline)
            throws IOException, InterruptedException {
        return start(adapter, attachDir, deadline, List.of("-Xmx256m"));
    }

    /** {@link #start(String, Path, Duration)} with these JVM options instead of {@code -Xmx256m}. */
    static SampleRouterProcess start(String adapter, Path attachDir, Duration deadline, List<String> jvmOptions)
            throws IOException, InterruptedException {
        return start(adapter, attachDir, deadline, jvmOptions, List.of());
    }

    /** {@link #start(String, Path, Duration, List)} with more options for {@code sample}. */
    static SampleRouterProcess start(String adapter, Path attachDir, Duration deadline, List<String> jvmOptions,
                                     List<String> sampleOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Drouterctl.attach.dir=" + attachDir,
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "io.routerctl.samples.SampleMain", "sample", "--port", "0", "--loops", "2",
                "--auth-adapter", adapter));
        command.addAll(sampleOptions);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        SampleRouterProcess sample = new SampleRouterProcess(process);
        try {
            sample.awaitStartBlock(deadline);
        } catch (AssertionError | RuntimeException e) {
            sample.close();
            throw e;
        }
        return sample;
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (this) {
                    output.add(line);
                    parse(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the child is gone; whoever waits sees it exited
        } finally {
            synchronized (this) {
                outputEnded = true;
                notifyAll();
            }
        }
    }

    private void parse(String line) {
        Matcher m = ROUTER.matcher(line);
        if (m.find()) {
            host = m.group(1);
            port = Integer.parseInt(m.group(2));
        }
        m = PID.matcher(line);
        if (m.find()) {
            pid = Long.parseLong(m.group(1));
        }
        m = ATTACH.matcher(line);
        if (m.find()) {
            socket = Path.of(m.group(1));
        }
        m = METRICS.matcher(line);
        if (m.find()) {
            metrics = m.group(1);
        }
    }

    private synchronized void awaitStartBlock(Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (port < 0 || pid < 0 || socket == null) {
            if (outputEnded) {
                throw new AssertionError("the sample ended its output before its start block:\n"
                        + String.join("\n", output));
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no start block within " + deadline + ":\n" + String.join("\n", output));
            }
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

    /** The router's listening address as {@code ss -tn} shows it, e.g. {@code 127.0.0.1:40211}. */
    synchronized String routerAddress() {
        return host + ":" + port;
    }

    synchronized String host() {
        return host;
    }

    synchronized int port() {
        return port;
    }

    /** The pid the start block printed. */
    synchronized long pid() {
        return pid;
    }

    /** The metrics URL the start block printed, or null when started without {@code --metrics-port}. */
    synchronized String metricsUrl() {
        return metrics;
    }

    /** The attach socket the start block printed. */
    synchronized Path socket() {
        return socket;
    }

    long processPid() {
        return process.pid();
    }

    /** Everything the child printed so far, for failure messages. */
    synchronized String output() {
        return String.join("\n", output);
    }

    /** SIGTERM, then SIGKILL if it does not exit within 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownKill);
        } catch (IllegalStateException shuttingDown) {
            // the hook kills it anyway
        }
    }
}
