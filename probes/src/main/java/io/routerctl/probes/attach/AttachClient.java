package io.routerctl.probes.attach;

import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A connection to one target's attach socket (SKELETON: signatures fixed, implementation pending).
 */
public final class AttachClient implements AutoCloseable {

    private AttachClient() {
    }

    /** Connects, reads the hello; {@link AttachException} if not reachable within {@code timeout}. */
    public static AttachClient connect(Path socket, Duration timeout) throws AttachException {
        throw new AttachException("not implemented yet");
    }

    /** The target's identity, from its hello. */
    public TargetInfo target() {
        throw new UnsupportedOperationException();
    }

    /** Runs {@code query} inside the target. */
    public TaskReport query(TaskQuery query) throws AttachException, TargetErrorException {
        throw new UnsupportedOperationException();
    }

    /** Per-loop counts with {@code olderThanMs} as the stuck threshold. */
    public List<LoopSnapshot> loops(long olderThanMs) throws AttachException, TargetErrorException {
        throw new UnsupportedOperationException();
    }

    /** One task and its relatives; {@link TargetErrorException} with code {@code not_found} if gone. */
    public TaskFamily task(long id, long olderThanMs) throws AttachException, TargetErrorException {
        throw new UnsupportedOperationException();
    }

    /** Streams {@code query}'s report every {@code interval} to {@code listener} until closed. */
    public Subscription subscribe(TaskQuery query, Duration interval, SubscriptionListener listener)
            throws AttachException, TargetErrorException {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
