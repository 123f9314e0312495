package io.routerctl.console.source;

import io.routerctl.probes.query.SavedTasks;
import io.routerctl.console.attach.AttachedTarget;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.GcResult;
import io.routerctl.probes.attach.TargetErrorException;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.wire.ErrorCode;

import java.util.List;

/**
 * A {@link Source} that asks a live target over its attach socket; every call is one request.
 *
 * <h2>Thread safety</h2>
 * As {@link io.routerctl.probes.attach.AttachClient}: safe from any thread.
 */
public final class LiveSource implements Source {

    private final AttachedTarget target;

    public LiveSource(AttachedTarget target) {
        this.target = target;
    }

    /** The open connection. */
    public AttachedTarget attached() {
        return target;
    }

    /**
     * Intrusive: a full GC in the target, then the lost wake-ups it proved (what only a live
     * target can do, so it is not part of {@link Source}).
     */
    public GcResult collectLostWakeups() throws AttachException, TargetErrorException {
        return target.client().collectLostWakeups();
    }

    @Override
    public TargetInfo target() {
        return target.info();
    }

    @Override
    public String socket() {
        return target.socket().toString();
    }

    @Override
    public String describe() {
        return "pid " + target.info().pid();
    }

    @Override
    public boolean live() {
        return true;
    }

    @Override
    public TaskReport query(TaskQuery query) throws AttachException, TargetErrorException {
        return target.client().query(query);
    }

    @Override
    public List<LoopSnapshot> loops(long olderThanMs, boolean adaptive) throws AttachException, TargetErrorException {
        return target.client().loops(olderThanMs, adaptive);
    }

    @Override
    public TaskFamily task(long id, long olderThanMs, boolean adaptive) throws AttachException, TargetErrorException {
        try {
            return target.client().task(id, olderThanMs, adaptive);
        } catch (TargetErrorException e) {
            if (ErrorCode.NOT_FOUND.wireName().equals(e.code())) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public List<PointSnapshot> points() throws AttachException, TargetErrorException {
        return target.client().points();
    }

    @Override
    public SavedTasks allTasks() throws AttachException, TargetErrorException {
        TaskReport all = target.client().query(TaskQuery.all(TaskQuery.DEFAULT_OLDER_THAN_MS, TaskQuery.MAX_LIMIT));
        return SavedTasks.of(all);
    }

    @Override
    public void close() {
        target.close();
    }
}
