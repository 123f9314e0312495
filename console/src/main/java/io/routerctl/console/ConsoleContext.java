package io.routerctl.console;

import io.routerctl.probes.attach.AttachDirectory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every command may ask of its surroundings, instead of reading globals: where attach sockets
 * live, and the target to use when a command names none (the shell's attached target, a playbook's
 * {@code --pid}).
 *
 * <pre>{@code
 * ConsoleContext shell = ConsoleContext.system().withDefaultSocket(attached.socket());
 * Routerctl.run(shell, out, err, "dump-stuck", "--json");   // no --pid needed
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * Immutable; safe from any thread. {@link #attachDir()} never returns {@code null};
 * {@link #defaultSocket()} may.
 */
public final class ConsoleContext {

    private final Supplier<Path> attachDir;
    private final Path defaultSocket;

    private ConsoleContext(Supplier<Path> attachDir, Path defaultSocket) {
        this.attachDir = Objects.requireNonNull(attachDir, "attachDir");
        this.defaultSocket = defaultSocket;
    }

    /** The real surroundings: the attach directory as {@link AttachDirectory#resolve()} finds it, on each use. */
    public static ConsoleContext system() {
        return new ConsoleContext(AttachDirectory::resolve, null);
    }

    /** Surroundings with a fixed attach directory (tests, or a front end that was told one). */
    public static ConsoleContext withAttachDir(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new ConsoleContext(() -> dir, null);
    }

    /** This context, with commands that name no target attaching through {@code socket}. */
    public ConsoleContext withDefaultSocket(Path socket) {
        return new ConsoleContext(attachDir, Objects.requireNonNull(socket, "socket"));
    }

    /** The directory where attach sockets are looked for. */
    public Path attachDir() {
        return attachDir.get();
    }

    /** The socket to use when a command gives neither {@code --pid} nor {@code --socket}, or {@code null}. */
    public Path defaultSocket() {
        return defaultSocket;
    }
}
