package io.routerctl.attachtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A service that has never heard of routerctl, in its own JVM: {@code java -cp <its Netty, its
 * Jackson, its classes> <main> 0}, which prints {@code listening on PORT}. Its class path holds no
 * routerctl jar; its attach directory (where an agent, once attached, puts its socket) is chosen
 * through the environment, as a user's session would.
 *
 * <h2>Thread safety</h2>
 * Accessors from any thread; {@link #close()} may be called more than once.
 */
final class ServiceProcess implements AutoCloseable {

    /** Which Netty a service runs on. */
    enum Netty {
        V4_2, V4_1,
        /** Only the Netty a library relocated into its own jar (gRPC's default transport). */
        RELOCATED;

        /** The jars of this Netty, copied by the build into {@code target/service-libs}. */
        List<Path> jars() throws IOException {
            return this == RELOCATED ? List.of()
                    : list(Path.of(System.getProperty("attachtests.libs"), this == V4_1 ? "netty-4.1" : "netty-4.2"));
        }
    }

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CountDownLatch listening = new CountDownLatch(1);
    private volatile int port = -1;

    private ServiceProcess(Process process) {
        this.process = process;
        Thread pump = new Thread(this::pump, "service-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code main} on {@code netty} with the service's own Jackson 2.12, and {@code jvmOptions}. */
    static ServiceProcess start(String main, Netty netty, Path attachDir, List<String> jvmOptions)
            throws IOException, InterruptedException {
        return start(main, netty, attachDir, jvmOptions, List.of("jackson"));
    }

    /** As above, with the jars of these directories of {@code target/service-libs} instead of Jackson's. */
    static ServiceProcess start(String main, Netty netty, Path attachDir, List<String> jvmOptions,
                                List<String> libraries) throws IOException, InterruptedException {
        return start(main, netty, attachDir, jvmOptions, libraries, List.of());
    }

    /**
     * As above, the JVM's command line run through {@code wrapper} (e.g. {@code unshare ...}, which
     * runs it in new namespaces); without an attach directory ({@code null}) the service uses its
     * default one.
     */
    static ServiceProcess start(String main, Netty netty, Path attachDir, List<String> jvmOptions,
                                List<String> libraries, List<String> wrapper) throws IOException, InterruptedException {
        return start(Path.of(System.getProperty("java.home")), main, netty, attachDir, jvmOptions, libraries, wrapper);
    }

    /** As above, on the Java runtime at {@code javaHome} (another JDK than the tests'). */
    static ServiceProcess start(Path javaHome, String main, Netty netty, Path attachDir, List<String> jvmOptions,
                                List<String> libraries, List<String> wrapper) throws IOException, InterruptedException {
        List<Path> classPath = new ArrayList<>();
        classPath.add(Path.of(System.getProperty("attachtests.classes", "target/test-classes")));
        classPath.addAll(netty.jars());
        for (String lib : libraries) {
            classPath.addAll(list(Path.of(System.getProperty("attachtests.libs"), lib)));
        }
        for (Path p : classPath) {
            if (p.toString().contains("routerctl")) {
                throw new IllegalStateException("a routerctl jar on the service's class path: " + p);
            }
        }
        List<String> command = new ArrayList<>(wrapper);
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.add("-Xmx128m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList()));
        command.add(main);
        command.add("0");
        return run(command, attachDir == null ? Map.of() : Map.of("ROUTERCTL_ATTACH_DIR", attachDir.toString()));
    }

    /** Runs {@code command} (a service that prints {@code listening on PORT}) with {@code environment} added. */
    static ServiceProcess run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(environment);
        ServiceProcess s = new ServiceProcess(pb.start());
        if (!s.listening.await(30, TimeUnit.SECONDS) || s.port < 0) {
            s.close();
            throw new IllegalStateException("the service did not say where it listens:\n" + s.output());
        }
        return s;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (output) {
                    output.add(line);
                }
                if (line.startsWith("listening on ")) {
                    port = Integer.parseInt(line.substring("listening on ".length()).strip());
                    listening.countDown();
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process ended.
        } finally {
            listening.countDown();
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * The JVM's pid as this host sees it: {@link #pid()}, or, when a wrapper started it, the
     * wrapper's descendant that runs java.
     */
    long jvmPid() {
        return process.toHandle().descendants()
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(process.pid());
    }

    int port() {
        return port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What the service printed so far, for failure messages. */
    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    @Override
    public void close() {
        // SIGTERM first, as a service manager stops a service: its JVM exits normally and cleans up.
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        try {
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    h.destroyForcibly();
                }
            }
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            all.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
