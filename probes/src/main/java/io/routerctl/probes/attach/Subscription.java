package io.routerctl.probes.attach;

import io.routerctl.probes.snapshot.TaskQuery;

/** A live stream of reports from a target. Closing it ends the stream (the connection stays). */
public interface Subscription extends AutoCloseable {

    /** Changes what the stream reports from the next update on (filter, sort, stuck-only). */
    void update(TaskQuery query) throws AttachException;

    @Override
    void close();
}
