package io.routerctl.console;

import io.routerctl.probes.attach.AttachDirectory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
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
 * <p>Front ends that drive commands in-process may also watch them: {@link #documents()} receives
 * every data document a command prints (whether it printed it as JSON or as text), so a playbook
 * gets both from one run; {@link #connections()} receives every attach connection a command opens,
 * so the shell can close it when the user presses Ctrl-C.
 *
 * <h2>Thread safety</h2>
 * Immutable; safe from any thread. {@link #attachDir()}, {@link #documents()} and
 * {@link #connections()} never return {@code null}; {@link #defaultSocket()} may.
 */
public final class ConsoleContext {

    private final Supplier<Path> attachDir;
    private final Path defaultSocket;
    private final Consumer<Object> documents;
    private final Consumer<AutoCloseable> connections;

    private ConsoleContext(Supplier<Path> attachDir, Path defaultSocket) {
        this(attachDir, defaultSocket, document -> { }, connection -> { });
    }

    private ConsoleContext(Supplier<Path> attachDir, Path defaultSocket, Consumer<Object> documents,
                           Consumer<AutoCloseable> connections) {
        this.attachDir = Objects.requireNonNull(attachDir, "attachDir");
        this.defaultSocket = defaultSocket;
        this.documents = Objects.requireNonNull(documents, "documents");
        this.connections = Objects.requireNonNull(connections, "connections");
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
        return new ConsoleContext(attachDir, Objects.requireNonNull(socket, "socket"), documents, connections);
    }

    /** This context, with every data document a command prints also handed to {@code sink}. */
    public ConsoleContext withDocuments(Consumer<Object> sink) {
        return new ConsoleContext(attachDir, defaultSocket, sink, connections);
    }

    /** This context, with every attach connection a command opens also handed to {@code sink}. */
    public ConsoleContext withConnections(Consumer<AutoCloseable> sink) {
        return new ConsoleContext(attachDir, defaultSocket, documents, sink);
    }

    /** The directory where attach sockets are looked for. */
    public Path attachDir() {
        return attachDir.get();
    }

    /** The socket to use when a command gives neither {@code --pid} nor {@code --socket}, or {@code null}. */
    public Path defaultSocket() {
        return defaultSocket;
    }

    /** Receives each data document a command prints. */
    public Consumer<Object> documents() {
        return documents;
    }

    /** Receives each attach connection a command opens (to close it from another thread on cancel). */
    public Consumer<AutoCloseable> connections() {
        return connections;
    }
}
