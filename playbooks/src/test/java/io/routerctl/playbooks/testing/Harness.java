package io.routerctl.playbooks.testing;

import io.routerctl.playbooks.Playbook;
import io.routerctl.playbooks.PlaybookParseException;
import io.routerctl.playbooks.PlaybookRunner;
import io.routerctl.playbooks.RunResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** One test's world: a manual clock, a sample target on it, an executor over it, and a runner. */
public final class Harness {

    public static final Instant START = Instant.parse("2026-11-25T07:00:00Z");

    public final ManualClock clock = new ManualClock(START);
    public final SampleTarget target = new SampleTarget(clock, 2);
    public final Path dir;
    public final RegistryExecutor executor;
    public final StringWriter output = new StringWriter();
    public final Path bundle;

    public Harness(Path dir) {
        this.dir = dir;
        this.executor = new RegistryExecutor(target.registry(), dir);
        this.bundle = dir.resolve("bundle");
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
}
