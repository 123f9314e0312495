package io.routerctl.probes.attach;

import io.routerctl.probes.TaskRegistry;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Serves a registry over the attach socket (SKELETON: signatures fixed, implementation pending).
 */
public final class AttachServer implements AutoCloseable {

    private AttachServer() {
    }

    /**
     * Starts serving {@code registry} as {@code name} on {@code <attach dir>/<pid>.sock}, on daemon
     * threads; returns once the socket accepts.
     */
    public static AttachServer start(TaskRegistry registry, String name) throws IOException {
        throw new IOException("not implemented yet");
    }

    /** The socket's path. */
    public Path socket() {
        throw new UnsupportedOperationException();
    }

    /** Stops serving and removes the socket. */
    @Override
    public void close() {
    }
}
