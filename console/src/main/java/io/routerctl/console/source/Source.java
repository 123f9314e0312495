package io.routerctl.console.source;

import io.routerctl.probes.query.SavedTasks;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.TargetErrorException;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;

import java.util.List;

/**
 * What the read commands (dump-stuck, task, loops, diff) read: a live target
 * ({@link LiveSource}) or a snapshot file ({@link SnapshotSource}). Both answer the same questions
 * with the same records, so a command prints the same thing for a snapshot as for the target at
 * the instant the snapshot was taken.
 *
 * <pre>{@code
 * try (Source source = options.open(spec, context)) {
 *     TaskReport stuck = source.query(TaskQuery.stuck(5_000, 100));
 * }
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * A source is used by one command at a time. {@link #task} returns {@code null} for an unknown
 * id; nothing else returns {@code null}.
 */
public interface Source extends AutoCloseable {

    /** Who the data is about (the target's hello, or the one saved in the snapshot). */
    TargetInfo target();

    /** The attach socket the data came through (for a snapshot, the one it was taken through). */
    String socket();

    /** For messages: {@code pid 4242} or {@code snapshot s.json (pid 4242)}. */
    String describe();

    /** Whether this is a live target (false: a snapshot file). */
    boolean live();

    /** Answers a task query, as the target's query op does. */
    TaskReport query(TaskQuery query) throws AttachException, TargetErrorException;

    /** Per-loop counts and health with {@code olderThanMs} as the stuck threshold. */
    List<LoopSnapshot> loops(long olderThanMs, boolean adaptive) throws AttachException, TargetErrorException;

    /** One task and its relatives, or {@code null} if there is no such task. */
    TaskFamily task(long id, long olderThanMs, boolean adaptive) throws AttachException, TargetErrorException;

    /** The probe points the target declared. */
    List<PointSnapshot> points() throws AttachException, TargetErrorException;

    /** Every in-flight task (up to {@link TaskQuery#MAX_LIMIT}), for comparing two moments. */
    SavedTasks allTasks() throws AttachException, TargetErrorException;

    @Override
    void close();
}
