package io.routerctl.console.attach;

import io.routerctl.probes.snapshot.TargetInfo;

import java.nio.file.Path;

/**
 * One attachable process as {@code routerctl list} sees it: its pid and socket, and either its
 * hello or why it did not answer.
 *
 * @param pid     the process id (from the socket's name)
 * @param socket  its attach socket
 * @param info    its hello, or {@code null} if it did not answer
 * @param problem why it did not answer (e.g. timed out), or {@code null} if it did
 *
 * <h2>Thread safety</h2>
 * Immutable.
 */
public record TargetStatus(long pid, Path socket, TargetInfo info, String problem) {

    /** Whether the target answered with a hello. */
    public boolean answering() {
        return info != null;
    }
}
