package io.routerctl.console.top;

import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.Subscription;
import io.routerctl.probes.attach.SubscriptionListener;
import io.routerctl.probes.attach.TargetErrorException;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;

import java.time.Duration;

/**
 * The part of an attach connection {@code top} uses: the target's identity, a subscription, and the
 * detail of one task. {@link #of(AttachClient)} adapts the real client; tests pass their own.
 *
 * <h2>Thread safety</h2>
 * As {@link AttachClient}: requests may come from one thread while the subscription's listener runs on
 * the client's reader thread.
 */
public interface TopConnection extends AutoCloseable {

    /** The target's identity from its hello; never {@code null}. */
    TargetInfo target();

    /** Starts streaming {@code query}'s report every {@code interval}; never returns {@code null}. */
    Subscription subscribe(TaskQuery query, Duration interval, SubscriptionListener listener)
            throws AttachException, TargetErrorException;

    /** One task and its relatives; {@link TargetErrorException} {@code not_found} once it finished. */
    TaskFamily task(long id, long olderThanMs, boolean adaptive) throws AttachException, TargetErrorException;

    /** Closes the connection; never throws. */
    @Override
    void close();

    /** {@code client} as a {@code TopConnection}; closing it closes the client. */
    public static TopConnection of(AttachClient client) {
        return new TopConnection() {
            @Override
            public TargetInfo target() {
                return client.target();
            }

            @Override
            public Subscription subscribe(TaskQuery query, Duration interval, SubscriptionListener listener)
                    throws AttachException, TargetErrorException {
                return client.subscribe(query, interval, listener);
            }

            @Override
            public TaskFamily task(long id, long olderThanMs, boolean adaptive) throws AttachException, TargetErrorException {
                return client.task(id, olderThanMs, adaptive);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}
