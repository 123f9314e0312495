package io.routerctl.console.shell;

import io.routerctl.console.attach.AttachedTarget;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.TargetErrorException;
import io.routerctl.probes.snapshot.PointSnapshot;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.nio.file.Path;
import java.util.List;

/**
 * The target the shell is attached to: its socket and hello, and an open connection used only for
 * completion (commands open their own, so cancelling one never breaks the shell's).
 *
 * <h2>Thread safety</h2>
 * Safe from any thread (completion runs on the reader's thread, commands on the worker).
 */
final class ShellTarget implements AutoCloseable {

    /** The most task ids offered for completion: the longest without progress first. */
    static final int MAX_COMPLETION_TASKS = 200;

    private final AttachedTarget attached;

    ShellTarget(AttachedTarget attached) {
        this.attached = attached;
    }

    Path socket() {
        return attached.socket();
    }

    long pid() {
        return attached.info().pid();
    }

    String name() {
        return attached.info().name();
    }

    /** Live task ids, stuck and longest without progress first, at most {@value #MAX_COMPLETION_TASKS}. */
    List<TaskSnapshot> tasks() throws AttachException, TargetErrorException {
        return attached.client().query(TaskQuery.all(TaskQuery.DEFAULT_OLDER_THAN_MS, MAX_COMPLETION_TASKS)).tasks();
    }

    /** The probe points the target declared. */
    List<PointSnapshot> points() throws AttachException, TargetErrorException {
        return attached.client().points();
    }

    @Override
    public void close() {
        attached.close();
    }
}
