package io.routerctl.console.source;

import io.routerctl.probes.query.SavedTasks;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.json.SnapshotDocument;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.playbooks.JsonDocuments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link Source} that reads a snapshot file ({@code routerctl snapshot}, schema
 * {@value SnapshotDocument#SCHEMA}) instead of a live target: the frozen state of the target at
 * the instant the snapshot was taken, questioned with any threshold, limit or filter.
 *
 * <p>This is also the frozen model for views that want one (e.g. {@code top --from FILE}):
 * {@code SnapshotSource.open(file).query(query)} answers a subscription's query with the
 * {@link TaskReport} the target would have sent at that instant, and {@link #loops} the loops.
 *
 * <h2>Errors</h2>
 * A file that is missing, unreadable, not JSON, not a snapshot, or of another schema version is a
 * {@link CommandException} with exit {@value ExitCode#USAGE} (the file given is wrong) and a
 * one-line message naming the file and the problem.
 *
 * <h2>Thread safety</h2>
 * Immutable after {@link #open}; safe from any thread.
 */
public final class SnapshotSource implements Source {

    /** The task op's cap on siblings and children, as the target applies it. */
    static final int MAX_RELATIVES = 1_000;

    private final Path file;
    private final SnapshotDocument document;
    private final SavedTasks tasks;

    private SnapshotSource(Path file, SnapshotDocument document) {
        this.file = file;
        this.document = document;
        this.tasks = new SavedTasks(document.takenAtEpochMs(), document.tasks(), document.pointSummaries(),
                document.refused(), document.truncated(), document.inFlight());
    }

    /**
     * Reads {@code file}.
     *
     * @throws CommandException exit 2, when the file cannot be read or is not a snapshot of schema
     *                          {@value SnapshotDocument#SCHEMA}
     */
    public static SnapshotSource open(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw bad(file, "no such file");
        } catch (IOException e) {
            throw bad(file, "cannot read it (" + e.getMessage() + ")");
        }
        JsonNode tree;
        try {
            tree = JsonDocuments.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw bad(file, "not JSON (line " + e.getLocation().getLineNr() + ")");
        }
        if (tree == null || !tree.isObject() || !tree.hasNonNull("schema")) {
            throw bad(file, "not a routerctl snapshot (no schema field)");
        }
        String schema = tree.get("schema").asText();
        if (!schema.equals(SnapshotDocument.SCHEMA)) {
            throw bad(file, schema.startsWith("routerctl.snapshot/")
                    ? "snapshot schema " + schema + " is not supported (this routerctl reads " + SnapshotDocument.SCHEMA + ")"
                    : "not a routerctl snapshot (schema " + schema + ")");
        }
        try {
            SnapshotDocument doc = JsonDocuments.mapper().treeToValue(tree, SnapshotDocument.class);
            if (doc.target() == null) {
                throw bad(file, "a snapshot without its target");
            }
            return new SnapshotSource(file, doc);
        } catch (JsonProcessingException e) {
            throw bad(file, "a damaged snapshot (" + e.getOriginalMessage() + ")");
        } catch (IllegalArgumentException e) {
            throw bad(file, "a damaged snapshot (" + e.getMessage() + ")");
        }
    }

    private static CommandException bad(Path file, String problem) {
        return new CommandException(ExitCode.USAGE, file + ": " + problem, null);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The document as read. */
    public SnapshotDocument document() {
        return document;
    }

    /** The saved tasks. */
    public SavedTasks tasks() {
        return tasks;
    }

    @Override
    public TargetInfo target() {
        return document.target();
    }

    @Override
    public String socket() {
        return document.socket() == null ? "" : document.socket();
    }

    @Override
    public String describe() {
        return "snapshot " + file + " (pid " + document.target().pid() + ")";
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public TaskReport query(TaskQuery query) {
        return tasks.query(query);
    }

    @Override
    public List<LoopSnapshot> loops(long olderThanMs, boolean adaptive) {
        return tasks.loops(document.loops(), olderThanMs, adaptive);
    }

    @Override
    public TaskFamily task(long id, long olderThanMs, boolean adaptive) {
        return tasks.family(id, olderThanMs, adaptive, MAX_RELATIVES);
    }

    @Override
    public List<PointSnapshot> points() {
        return document.points();
    }

    @Override
    public SavedTasks allTasks() {
        return tasks;
    }

    @Override
    public void close() {
        // Nothing held open.
    }
}
