package io.routerctl.console.attach;

import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.snapshot.TargetInfo;

import java.nio.file.Path;

/**
 * A connected target: the socket it was reached on and the open client. Close it when done.
 *
 * <h2>Thread safety</h2>
 * As {@link AttachClient}. No accessor returns {@code null}.
 */
public record AttachedTarget(Path socket, AttachClient client) implements AutoCloseable {

    /** The target's hello. */
    public TargetInfo info() {
        return client.target();
    }

    @Override
    public void close() {
        client.close();
    }
}
