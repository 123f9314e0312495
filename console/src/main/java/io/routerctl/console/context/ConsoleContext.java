package io.routerctl.console.context;

import io.routerctl.probes.attach.AttachDirectory;

import java.nio.file.Path;
import java.util.List;
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
 * Immutable; safe from any thread. {@link #attachDirs()}, {@link #documents()},
 * {@link #connections()} and {@link #runner()} never return {@code null}; {@link #defaultSocket()} may.
 */
public final class ConsoleContext {

    private final Supplier<List<Path>> attachDirs;
    private final Path defaultSocket;
    private final Consumer<Object> documents;
    private final Consumer<AutoCloseable> connections;
    private final CommandRunner runner;

    private ConsoleContext(Supplier<List<Path>> attachDirs, Path defaultSocket) {
        this(attachDirs, defaultSocket, document -> { }, connection -> { }, null);
    }

    private ConsoleContext(Supplier<List<Path>> attachDirs, Path defaultSocket, Consumer<Object> documents,
                           Consumer<AutoCloseable> connections, CommandRunner runner) {
        this.attachDirs = Objects.requireNonNull(attachDirs, "attachDirs");
        this.defaultSocket = defaultSocket;
        this.documents = Objects.requireNonNull(documents, "documents");
        this.connections = Objects.requireNonNull(connections, "connections");
        this.runner = runner;
    }

    /** The real surroundings: the attach directories {@link AttachDirectory#searched()} names, on each use. */
    public static ConsoleContext system() {
        return new ConsoleContext(AttachDirectory::searched, null);
    }

    /** Surroundings with a fixed attach directory (tests, or a front end that was told one). */
    public static ConsoleContext withAttachDir(Path dir) {
        Objects.requireNonNull(dir, "dir");
        List<Path> dirs = List.of(dir);
        return new ConsoleContext(() -> dirs, null);
    }

    /** This context, with commands that name no target attaching through {@code socket}. */
    public ConsoleContext withDefaultSocket(Path socket) {
        return new ConsoleContext(attachDirs, Objects.requireNonNull(socket, "socket"), documents, connections, runner);
    }

    /** This context, with every data document a command prints also handed to {@code sink}. */
    public ConsoleContext withDocuments(Consumer<Object> sink) {
        return new ConsoleContext(attachDirs, defaultSocket, sink, connections, runner);
    }

    /** This context, with every attach connection a command opens also handed to {@code sink}. */
    public ConsoleContext withConnections(Consumer<AutoCloseable> sink) {
        return new ConsoleContext(attachDirs, defaultSocket, documents, sink, runner);
    }

    /** This context, with commands run in it (by the shell, a playbook) run by {@code runner}. */
    public ConsoleContext withRunner(CommandRunner runner) {
        return new ConsoleContext(attachDirs, defaultSocket, documents, connections,
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

    /** The directory where this user's services put their attach sockets (the first one searched). */
    public Path attachDir() {
        return attachDirs.get().get(0);
    }

    /** Every directory where attach sockets are looked for, {@link #attachDir()} first; never empty. */
    public List<Path> attachDirs() {
        return attachDirs.get();
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
