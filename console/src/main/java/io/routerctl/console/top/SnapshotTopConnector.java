package io.routerctl.console.top;

import io.routerctl.console.source.SnapshotSource;
import io.routerctl.probes.attach.Subscription;
import io.routerctl.probes.attach.SubscriptionListener;
import io.routerctl.probes.attach.TargetErrorException;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * {@code top --from FILE}: a {@link TopConnector} over a {@link SnapshotSource}, so the ordinary session
 * shows a saved snapshot as a frozen view. Its "connection" never goes away, so the session never
 * reconnects; a subscription answers once when made and once per changed query (sort, filter, stuck
 * only), each time with the report the target would have sent at the instant of the snapshot, and
 * never on a timer. Task details are evaluated on the saved tasks too.
 *
 * <h2>Thread safety</h2>
 * Immutable, over an immutable source; safe from any thread. Listeners are called on the thread that
 * subscribes or changes the query (the session's I/O thread).
 */
public final class SnapshotTopConnector implements TopConnector {

    private static final DateTimeFormatter TAKEN_AT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final SnapshotSource source;

    /** A connector showing {@code source}; never {@code null}. */
    public SnapshotTopConnector(SnapshotSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public TopConnection connect() {
        return new TopConnection() {
            @Override
            public TargetInfo target() {
                return source.target();
            }

            @Override
            public Subscription subscribe(TaskQuery query, Duration interval, SubscriptionListener listener) {
                answer(query, listener);
                return new Subscription() {
                    @Override
                    public void update(TaskQuery changed) {
                        answer(changed, listener);
                    }

                    @Override
                    public void close() {
                        // Nothing streams.
                    }
                };
            }

            @Override
            public TaskFamily task(long id, long olderThanMs, boolean adaptive) throws TargetErrorException {
                TaskFamily family = source.task(id, olderThanMs, adaptive);
                if (family == null) {
                    throw new TargetErrorException("not_found", "task " + id + " is not in the snapshot");
                }
                return family;
            }

            @Override
            public void close() {
                // Nothing held open.
            }
        };
    }

    private void answer(TaskQuery query, SubscriptionListener listener) {
        listener.onUpdate(source.target(), source.query(query), source.loops(query.olderThanMs(), query.adaptive()), 0);
    }

    @Override
    public String describe() {
        return "snapshot " + source.file();
    }

    /** {@code snapshot s.json taken 2026-11-25 09:02:48 UTC}: what the header shows instead of the link. */
    @Override
    public String frozenLabel() {
        return "snapshot " + source.file().getFileName() + " taken "
                + TAKEN_AT.format(Instant.ofEpochMilli(source.document().takenAtEpochMs()));
    }
}
