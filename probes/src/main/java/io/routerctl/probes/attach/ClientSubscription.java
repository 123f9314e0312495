package io.routerctl.probes.attach;

import io.routerctl.probes.snapshot.TaskQuery;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A subscription as the client holds it: its number on the connection and the way to change or end it.
 *
 * <h2>Thread safety</h2>
 * Safe from any thread; {@link #close()} is idempotent.
 */
final class ClientSubscription implements Subscription {

    private final AttachClient client;
    private final long id;
    private final AtomicBoolean closed = new AtomicBoolean();

    ClientSubscription(AttachClient client, long id) {
        this.client = client;
        this.id = id;
    }

    /** The subscription's number on its connection. */
    long id() {
        return id;
    }

    @Override
    public void update(TaskQuery query) throws AttachException {
        if (closed.get()) {
            throw new AttachException("subscription " + id + " is closed");
        }
        try {
            client.resubscribe(id, query);
        } catch (TargetErrorException e) {
            throw new AttachException("the target refused the new query: " + e.code() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.unsubscribe(id);
        }
    }
}
