package io.routerctl.console.context;

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
 * Immutable; safe from any thread. {@link #attachDir()}, {@link #documents()},
 * {@link #connections()} and {@link #runner()} never return {@code null}; {@link #defaultSocket()} may.
 */
public final class ConsoleContext {

    private final Supplier<Path> attachDir;
    private final Path defaultSocket;
    private final Consumer<Object> documents;
    private final Consumer<AutoCloseable> connections;
    private final CommandRunner runner;

    private ConsoleContext(Supplier<Path> attachDir, Path defaultSocket) {
        this(attachDir, defaultSocket, document -> { }, connection -> { }, null);
    }

    private ConsoleContext(Supplier<Path> attachDir, Path defaultSocket, Consumer<Object> documents,
                           Consumer<AutoCloseable> connections, CommandRunner runner) {
        this.attachDir = Objects.requireNonNull(attachDir, "attachDir");
        this.defaultSocket = defaultSocket;
        this.documents = Objects.requireNonNull(documents, "documents");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.runner = runner;
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
        return new ConsoleContext(attachDir, Objects.requireNonNull(socket, "socket"), documents, connections, runner);
    }

    /** This context, with every data document a command prints also handed to {@code sink}. */
    public ConsoleContext withDocuments(Consumer<Object> sink) {
        return new ConsoleContext(attachDir, defaultSocket, sink, connections, runner);
    }

    /** This context, with every attach connection a command opens also handed to {@code sink}. */
    public ConsoleContext withConnections(Consumer<AutoCloseable> sink) {
        return new ConsoleContext(attachDir, defaultSocket, documents, sink, runner);
    }

    /** This context, with commands run in it (by the shell, a playbook) run by {@code runner}. */
    public ConsoleContext withRunner(CommandRunner runner) {
        return new ConsoleContext(attachDir, defaultSocket, documents, connections,
                Objects.requireNonNull(runner, "runner"));
    }

    /** Whether a {@link #runner()} was given. */
    public boolean hasRunner() {
        return runner != null;
    }

    /**
     * What runs routerctl commands from inside a command.
     *
     * @throws IllegalStateException if the context was made without one (the console's entry point
     *                               always gives one)
     */
    public CommandRunner runner() {
        if (runner == null) {
            throw new IllegalStateException("no command runner in this context");
        }
        return runner;
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
