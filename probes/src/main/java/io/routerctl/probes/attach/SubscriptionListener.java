package io.routerctl.probes.attach;

import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskReport;

import java.util.List;

/**
 * Receives a subscription's updates, on the client's reader thread: keep it quick.
 */
public interface SubscriptionListener {

    /**
     * One update: the report for the subscription's query, the loops, the target as it is now
     * (uptime), and how many updates the target dropped before this one because we read slowly.
     */
    void onUpdate(TargetInfo target, TaskReport report, List<LoopSnapshot> loops, long droppedBefore);

    /** The connection ended (target gone, or an error); no more updates come. */
    void onClosed(Exception cause);
}
