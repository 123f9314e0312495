package io.routerctl.console;

import io.routerctl.probes.attach.AttachDirectory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every command may ask of its surroundings, instead of reading globals: where attach sockets
 * live. Front ends that keep state between commands (the shell's current target, say) extend this.
 *
 * <h2>Thread safety</h2>
 * Immutable; safe from any thread. {@link #attachDir()} never returns {@code null}.
 */
public final class ConsoleContext {

    private final Supplier<Path> attachDir;

    private ConsoleContext(Supplier<Path> attachDir) {
        this.attachDir = Objects.requireNonNull(attachDir, "attachDir");
    }

    /** The real surroundings: the attach directory as {@link AttachDirectory#resolve()} finds it, on each use. */
    public static ConsoleContext system() {
        return new ConsoleContext(AttachDirectory::resolve);
    }

    /** Surroundings with a fixed attach directory (tests, or a front end that was told one). */
    public static ConsoleContext withAttachDir(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new ConsoleContext(() -> dir);
    }

    /** The directory where attach sockets are looked for. */
    public Path attachDir() {
        return attachDir.get();
    }
}
