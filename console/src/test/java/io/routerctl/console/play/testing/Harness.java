package io.routerctl.console.play.testing;

import io.routerctl.console.Routerctl;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.play.ConsoleCommandExecutor;
import io.routerctl.playbooks.ArgumentProblem;
import io.routerctl.playbooks.CommandExecutor;
import io.routerctl.playbooks.CommandResult;
import io.routerctl.playbooks.CommandSet;
import io.routerctl.playbooks.Playbook;
import io.routerctl.playbooks.PlaybookParseException;
import io.routerctl.playbooks.PlaybookRunner;
import io.routerctl.playbooks.RunResult;
import io.routerctl.playbooks.TargetUnreachableException;
import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.attach.AttachServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One test's world: a manual clock, a sample target on it with a real attach server in its own
 * attach directory, routerctl's real command executor attached to it, and a runner.
 *
 * <p>Test classes that make harnesses register {@link Cleanup} so that every harness a test made
 * is closed (its attach server stopped) after it.
 */
public final class Harness implements AutoCloseable {

    public static final Instant START = Instant.parse("2026-11-25T07:00:00Z");

    private static final List<Harness> OPEN = new ArrayList<>();

    public final ManualClock clock = new ManualClock(START);
    public final SampleTarget target = new SampleTarget(clock, 2);
    public final Path dir;
    public final Recorder executor;
    public final StringWriter output = new StringWriter();
    public final Path bundle;
    private final AttachServer server;
    private final Path attachDir;

    public Harness(Path dir) {
        this.dir = dir;
        this.bundle = dir.resolve("bundle");
        try {
            // Its own directory, outside the test's: a test may make two harnesses, and may list its dir.
            attachDir = Files.createTempDirectory("routerctl-harness-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            server = AttachServer.builder(target.registry()).name("sample-router").directory(attachDir).start();
            ConsoleContext context = ConsoleContext.withAttachDir(attachDir).withRunner(Routerctl.RUNNER);
            try (AttachClient hello = AttachClient.connect(server.socket(), Duration.ofSeconds(20))) {
                executor = new Recorder(new ConsoleCommandExecutor(context, server.socket(), hello.target()), this);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (io.routerctl.probes.attach.AttachException e) {
            throw new IllegalStateException(e);
        }
        synchronized (OPEN) {
            OPEN.add(this);
        }
    }

    public Playbook parse(String source) throws PlaybookParseException {
        return parse(source, Map.of());
    }

    public Playbook parse(String source, Map<String, String> vars) throws PlaybookParseException {
        return Playbook.parse("test.playbook", source, Map.of(Playbook.BUNDLE_VAR, bundle.toString()), vars, executor);
    }

    public RunResult run(String source) throws PlaybookParseException {
        return run(source, Map.of());
    }

    public RunResult run(String source, Map<String, String> vars) throws PlaybookParseException {
        return runner().run(parse(source, vars), bundle);
    }

    public PlaybookRunner runner() {
        return new PlaybookRunner(executor, clock, new PrintWriter(output, true));
    }

    public String report() throws IOException {
        return Files.readString(bundle.resolve("report.md"));
    }

    public String file(String name) throws IOException {
        return Files.readString(bundle.resolve(name));
    }

    /** The target's process "exits": its attach server stops and its socket goes away. */
    public void targetExits() {
        server.close();
    }

    @Override
    public void close() {
        server.close();
        try {
            Files.deleteIfExists(attachDir);
        } catch (IOException e) {
            // A leftover empty directory in the temp dir; nothing to worry about.
        }
    }

    /**
     * The real executor, watched: it records every command line it is given, and can make the
     * target exit after a number of them (a target that dies in the middle of a playbook).
     */
    public static final class Recorder implements CommandExecutor {
        private final ConsoleCommandExecutor real;
        private final Harness harness;
        private final List<List<String>> executed = new ArrayList<>();
        private int exitAfter = Integer.MAX_VALUE;

        Recorder(ConsoleCommandExecutor real, Harness harness) {
            this.real = real;
            this.harness = harness;
        }

        /** Every command line executed, in order. */
        public List<List<String>> executed() {
            return List.copyOf(executed);
        }

        /** The target exits now. */
        public void goAway() {
            harness.targetExits();
        }

        /** The target answers {@code n} more commands, then exits. */
        public void goAwayAfter(int n) {
            exitAfter = executed.size() + n;
        }

        @Override
        public CommandSet commands() {
            return real.commands();
        }

        @Override
        public Optional<ArgumentProblem> check(List<String> args) {
            return real.check(args);
        }

        @Override
        public CommandResult execute(List<String> args) throws TargetUnreachableException, InterruptedException {
            if (executed.size() >= exitAfter) {
                harness.targetExits();
            }
            executed.add(List.copyOf(args));
            return real.execute(args);
        }

        @Override
        public String describeTarget() throws TargetUnreachableException {
            return real.describeTarget();
        }

        @Override
        public Set<String> detectors() throws TargetUnreachableException {
            return real.detectors();
        }
    }

    /** Closes every harness a test made. */
    public static final class Cleanup implements AfterEachCallback {
        @Override
        public void afterEach(ExtensionContext context) {
            List<Harness> open;
            synchronized (OPEN) {
                open = new ArrayList<>(OPEN);
                OPEN.clear();
            }
            open.forEach(Harness::close);
        }
    }
}
