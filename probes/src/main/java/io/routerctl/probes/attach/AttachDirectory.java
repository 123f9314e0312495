package io.routerctl.probes.attach;

import java.nio.file.Path;
import java.util.List;

/**
 * The per-user directory where attach sockets live (SKELETON: signatures fixed, implementation pending).
 *
 * <p>Resolved as: system property {@code routerctl.attach.dir}, else environment variable
 * {@code ROUTERCTL_ATTACH_DIR}, else {@code /tmp/routerctl-<user>}. Sockets are named {@code <pid>.sock}.
 */
public final class AttachDirectory {

    private AttachDirectory() {
    }

    /** The directory for this user. */
    public static Path resolve() {
        throw new UnsupportedOperationException();
    }

    /** The live targets in {@code dir}, by pid; sockets of dead processes are skipped (and removed). */
    public static List<AttachTarget> targets(Path dir) {
        throw new UnsupportedOperationException();
    }
}
