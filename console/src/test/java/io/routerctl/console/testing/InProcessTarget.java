package io.routerctl.console.testing;

import io.routerctl.console.context.ConsoleContext;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.attach.AttachServer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real attach server in this JVM over a real registry, in a test's own attach directory, and a
 * {@link Cli} that runs routerctl against it with a generous attach timeout (a loaded CI machine can
 * stall any process for seconds; that is not what these tests check).
 */
public final class InProcessTarget implements AutoCloseable {

    private final AttachDirProperty property;
    private final AttachServer server;
    private final Cli cli;

    public InProcessTarget(Path attachDir, TaskRegistry registry) throws IOException {
        property = new AttachDirProperty(attachDir);
        server = AttachServer.start(registry, "test-router");
        cli = new Cli(ConsoleContext.withAttachDir(attachDir));
    }

    public Path socket() {
        return server.socket();
    }

    /** Runs a command line; commands that attach get {@code --timeout 20s} appended. */
    public Cli.Result run(String... args) {
        List<String> full = new ArrayList<>(Arrays.asList(args));
        if (!full.contains("--help") && !full.contains("--from") && attaches(args)) {
            full.add("--timeout");
            full.add("20s");
        }
        return cli.run(full.toArray(new String[0]));
    }

    private static boolean attaches(String... args) {
        if (args.length == 0) {
            return false;
        }
        return switch (args[0]) {
            case "dump-stuck", "task", "loops", "snapshot", "play" -> true;
            case "diff" -> Arrays.asList(args).contains("live");
            default -> false;
        };
    }

    @Override
    public void close() {
        server.close();
        property.close();
    }
}
