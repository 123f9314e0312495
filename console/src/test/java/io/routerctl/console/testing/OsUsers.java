package io.routerctl.console.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real other users for tests of who trusts whom: creates system accounts with {@code useradd}
 * (once; they stay, as CI machines are throwaway) and runs JVMs as them with {@code setpriv}. Only
 * root can do either, so {@link #available()} tells a test whether to run; CI runs as root.
 *
 * <p>A process of another user cannot read this JVM's classpath under {@code /root}, so
 * {@link #sharedBase()} makes a world-readable directory with a copy of it.
 *
 * <h2>Thread safety</h2>
 * For one test class at a time.
 */
public final class OsUsers implements AutoCloseable {

    private final Path base;
    private final String classpath;
    private final List<Process> started = new ArrayList<>();

    /** A user: name and numeric ids. */
    public record User(String name, int uid, int gid) {
    }

    /** What a finished process printed. */
    public record Run(int exit, String out, String err) {
    }

    private OsUsers(Path base, String classpath) {
        this.base = base;
        this.classpath = classpath;
    }

    /** Whether users can be made and switched to here: root, with useradd and setpriv. */
    public static boolean available() {
        return "root".equals(System.getProperty("user.name"))
                && Files.isExecutable(Path.of("/usr/sbin/useradd"))
                && Files.isExecutable(Path.of("/usr/bin/setpriv"));
    }

    /** A shared base directory (0755, under /tmp) holding a readable copy of this JVM's classpath. */
    public static OsUsers sharedBase() throws IOException {
        Path base = Files.createTempDirectory("routerctl-users-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cp = Files.createDirectory(base.resolve("cp"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                .split(java.io.File.pathSeparator)) {
            Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = cp.resolve((i++) + "-" + from.getFileName());
            copyTree(from, to);
            entries.add(to.toString());
        }
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(
                        Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return new OsUsers(base, String.join(java.io.File.pathSeparator, entries));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            Files.copy(from, to);
            return;
        }
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The shared base: world-readable, root's. */
    public Path base() {
        return base;
    }

    /** The user {@code name}, created (system account, no home, no login shell) if missing. */
    public User user(String name) throws IOException, InterruptedException {
        if (run(List.of("id", "-u", name)).exit() != 0) {
            Run made = run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name));
            if (made.exit() != 0 && run(List.of("id", "-u", name)).exit() != 0) {
                throw new IOException("useradd " + name + " failed: " + made.err());
            }
        }
        return new User(name, Integer.parseInt(run(List.of("id", "-u", name)).out().trim()),
                Integer.parseInt(run(List.of("id", "-g", name)).out().trim()));
    }

    /** {@code command} as {@code user} (no supplementary groups), or as this process when {@code user} is null. */
    public List<String> as(User user, List<String> command) {
        List<String> full = new ArrayList<>();
        if (user != null) {
            full.addAll(List.of("setpriv", "--reuid=" + user.uid(), "--regid=" + user.gid(), "--clear-groups", "--"));
        }
        full.addAll(command);
        return full;
    }

    /**
     * A JVM running {@code mainClass} from the shared classpath, with {@code attachDir} as its
     * attach directory (none: the default).
     */
    public List<String> java(Path attachDir, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto", "-Xmx128m", "-cp", classpath));
        if (attachDir != null) {
            cmd.add("-Drouterctl.attach.dir=" + attachDir);
        }
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs {@code command} to its end (at most a minute), with no attach directory in its environment. */
    public Run run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = builder(command);
        Path out = Files.createTempFile("out", ".txt");
        Path err = Files.createTempFile("err", ".txt");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("still running after a minute: " + command);
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Starts a long-running {@code command}, killed on {@link #close()}. */
    public Started start(List<String> command) throws IOException {
        Process p = builder(command).redirectErrorStream(true).start();
        started.add(p);
        return new Started(p);
    }

    private static ProcessBuilder builder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("ROUTERCTL_ATTACH_DIR");
        pb.environment().remove("XDG_RUNTIME_DIR");
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.directory(new java.io.File("/"));
        return pb;
    }

    /** A started process whose output lines are collected as they come. */
    public static final class Started {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        Started(Process process) {
            this.process = process;
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        seen.add(line);
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // Ended.
                }
            }, "user-process-output");
            pump.setDaemon(true);
            pump.start();
        }

        /** The first line starting with one of {@code prefixes}, waiting at most {@code deadline}. */
        public String awaitLine(Duration deadline, String... prefixes) throws InterruptedException {
            long end = System.nanoTime() + deadline.toNanos();
            while (System.nanoTime() < end) {
                String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    break;
                }
                for (String p : prefixes) {
                    if (line.startsWith(p)) {
                        return line;
                    }
                }
            }
            throw new AssertionError("no line starting with " + List.of(prefixes) + " within " + deadline
                    + "; output: " + seen);
        }

        public Process process() {
            return process;
        }
    }

    @Override
    public void close() throws IOException {
        for (Process p : started) {
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
