package io.routerctl.console.command;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.routerctl.console.attach.TargetOptions;
import io.routerctl.console.context.Arg;
import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.DurationConverter;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.context.StuckOptions;
import io.routerctl.console.json.JsonOutput;
import io.routerctl.console.json.SnapshotDocument;
import io.routerctl.console.render.Durations;
import io.routerctl.console.render.Printable;
import io.routerctl.console.source.LiveSource;
import io.routerctl.console.source.SourceOptions;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSnapshot;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code routerctl snapshot}: saves a target's in-flight tasks, loops and probe points to a file
 * (schema {@value SnapshotDocument#SCHEMA}), for later study with {@code --from FILE}.
 *
 * <h2>Thread safety</h2>
 * As every {@link RouterctlCommand}: one invocation at a time.
 */
public final class SnapshotCommand extends RouterctlCommand {

    private static final String[] DESCRIPTION = {
            "Save a target's in-flight tasks to a file, to study later.",
            "",
            "Writes every live task (up to " + TaskQuery.MAX_LIMIT + ", longest without progress first; "
                    + "the file and stderr say if the cap cut some), the event loops with their health, "
                    + "and the probe points. Read it back with --from FILE on dump-stuck, task and loops, "
                    + "or compare two with diff. Prints the file's path."};

    private static final String[] EXAMPLES = {
            "  routerctl snapshot              writes snapshot-<pid>-<yyyyMMdd-HHmmss>.json",
            "  routerctl snapshot --pid 4242 -o before.json",
            "  routerctl dump-stuck --from before.json --older-than 2s",
            "  routerctl diff before.json live",
            "",
            "File schema: routerctl.snapshot/1 (docs/snapshot-schema.md).",
            "JSON schema (--json): routerctl.snapshot-result/1.",
            "The time in the default name is UTC.",
            "Exit codes: 0 saved, 2 usage error (or the file cannot be written),",
            "3 cannot attach."};

    /** Schema of what {@code --json} prints (a receipt; the snapshot itself goes to the file). */
    public static final String RESULT_SCHEMA = "routerctl.snapshot-result/1";

    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Arg<Path> output = option(OptionSpec.builder("-o", "--output").paramLabel("FILE").type(Path.class)
            .description("Write here (default: snapshot-<pid>-<yyyyMMdd-HHmmss>.json in the current directory)."));

    private final Arg<Boolean> json = flag("--json",
            "Print what was saved as JSON (schema " + RESULT_SCHEMA + ").");

    private final TargetOptions target = new TargetOptions(spec);

    private final StuckOptions stuck = new StuckOptions(spec);

    public SnapshotCommand(ConsoleContext context) {
        super(context, "snapshot", DESCRIPTION, EXAMPLES);
    }

    /**
     * What {@code --json} prints.
     *
     * @param file      where the snapshot was written
     * @param tasks     tasks saved
     * @param truncated whether the cap cut some
     */
    @JsonPropertyOrder({"schema", "file", "pid", "name", "taken_at_epoch_ms", "threshold_ms", "tasks", "in_flight",
            "stuck", "truncated"})
    public record Result(String schema, String file, long pid, String name, long takenAtEpochMs, long thresholdMs,
                         int tasks, int inFlight, int stuck, boolean truncated) {
    }

    @Override
    protected int execute() throws Exception {
        long thresholdMs = stuck.olderThanMs();
        SnapshotDocument doc;
        try (LiveSource live = SourceOptions.live(target, spec, context)) {
            doc = take(live, thresholdMs, stuck.adaptive());
        }
        Path file = output.get() != null ? output.get() : defaultFile(doc);
        write(file, doc);
        if (doc.truncated()) {
            err().println("routerctl snapshot: the target has " + doc.liveTasks() + " live tasks; saved the "
                    + doc.tasks().size() + " longest without progress (the cap), the file says so");
        }
        Result result = new Result(RESULT_SCHEMA, file.toString(), doc.target().pid(), doc.target().name(),
                doc.takenAtEpochMs(), thresholdMs, doc.tasks().size(), doc.inFlight(), doc.stuck(), doc.truncated());
        emit(json.on(), () -> file + "\n", result);
        if (!json.on()) {
            err().println("saved " + doc.tasks().size() + " tasks (in flight " + doc.inFlight() + ", stuck "
                    + doc.stuck() + " at " + Durations.format(thresholdMs) + ") of pid " + doc.target().pid()
                    + " (" + Printable.of(doc.target().name()) + ")");
        }
        return ExitCode.OK;
    }

    /** Reads everything a snapshot holds from {@code live}. */
    public static SnapshotDocument take(LiveSource live, long thresholdMs, boolean adaptive) throws Exception {
        List<PointSnapshot> points = live.points();
        List<LoopSnapshot> loops = live.loops(thresholdMs, adaptive);
        TaskReport all = live.query(TaskQuery.all(thresholdMs, TaskQuery.MAX_LIMIT));
        return new SnapshotDocument(SnapshotDocument.SCHEMA, live.target(), live.socket(), all.takenAtEpochMs(),
                thresholdMs, TaskQuery.MAX_LIMIT, all.tasks().size() < all.matched(), all.inFlight(), all.matched(),
                all.stuck(), all.refused(), loops, points, all.points(), all.tasks());
    }

    private static Path defaultFile(SnapshotDocument doc) {
        String base = "snapshot-" + doc.target().pid() + "-" + FILE_TIME.format(Instant.ofEpochMilli(doc.takenAtEpochMs()));
        Path p = Path.of(base + ".json");
        for (int n = 2; Files.exists(p); n++) {
            p = Path.of(base + "-" + n + ".json");
        }
        return p;
    }

    /** Writes {@code doc} to {@code file} whole or not at all (a temporary file, then a rename). */
    static void write(Path file, SnapshotDocument doc) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".snapshot", ".tmp");
            try {
                Files.writeString(tmp, JsonOutput.pretty(doc), StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new CommandException(ExitCode.USAGE, "cannot write " + file + ": " + e.getMessage(), null);
        }
    }
}
