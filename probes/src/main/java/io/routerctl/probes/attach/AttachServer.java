package io.routerctl.probes.attach;

import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.wire.ErrorCode;
import io.routerctl.probes.wire.WireCodec;
import io.routerctl.probes.wire.WireMessage;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Serves a registry over the attach socket: {@code <attach dir>/<pid>.sock}, the wire protocol of
 * {@code docs/protocol.md}, to clients of the same user (or root).
 *
 * <pre>{@code
 * TaskRegistry registry = new TaskRegistry();
 * try (AttachServer server = AttachServer.start(registry, "sample-router")) {
 *     ...                                   // routerctl dump-stuck finds us by pid
 * }
 *
 * // A runtime that knows more about its loops than the registry does (heartbeats, lag):
 * AttachServer server = AttachServer.builder(registry)
 *         .name("sample-router")
 *         .loops(olderThanMs -> runtime.loopHealth(registry.loops(olderThanMs)))
 *         .start();
 * }</pre>
 *
 * <h2>Threads and limits</h2>
 * One daemon thread accepts ({@code routerctl-attach-accept}); each client gets a reader and a
 * writer daemon thread ({@code routerctl-attach-client-N}, {@code routerctl-attach-writer-N}). At
 * most {@value #MAX_CLIENTS} clients are served at once; the next gets {@code busy} and is closed.
 * A peer of another user gets {@code forbidden} and is closed. No attach thread ever waits for an
 * event loop: answers are registry reads, which never block the registry's writers, and a client
 * that stops reading stalls only its own threads (see {@link ServerSession}).
 *
 * <h2>Files</h2>
 * The directory is {@linkplain AttachDirectory#prepare prepared} (0700, owned by us), the socket is
 * made 0600, and removed by {@link #close()} or, if the process exits without closing, by a
 * shutdown hook.
 *
 * <h2>Thread safety</h2>
 * {@link #close()} and {@link #socket()} are safe from any thread; {@code close} is idempotent.
 */
public final class AttachServer implements AutoCloseable {

    /** Clients served at once; one more gets {@code busy}, unless an idle one can be evicted. */
    public static final int MAX_CLIENTS = 16;
    /** A session idle this long may be evicted to make room for a new client. */
    static final Duration EVICTABLE_AFTER = Duration.ofSeconds(1);

    private final ServerSocketChannel server;
    private final Path socket;
    private final TargetService service;
    private final PeerPolicy policy;
    private final ServerSession.Limits limits;
    private final Set<ServerSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptor;
    private final Thread cleanupHook;
    private int sessionNumber;

    private AttachServer(ServerSocketChannel server, Path socket, TargetService service, PeerPolicy policy,
                         ServerSession.Limits limits) {
        this.server = server;
        this.socket = socket;
        this.service = service;
        this.policy = policy;
        this.limits = limits;
        this.acceptor = new Thread(this::acceptLoop, "routerctl-attach-accept");
        this.acceptor.setDaemon(true);
        this.cleanupHook = new Thread(() -> deleteQuietly(socket), "routerctl-attach-cleanup");
    }

    /**
     * Updates of live subscriptions ({@code top}) that were never sent since this process started,
     * over every server: ticks skipped because an answer was over budget or a console read too slowly.
     */
    public static long updatesDropped() {
        return ServerSession.UPDATES_DROPPED.sum();
    }

    /**
     * Starts serving {@code registry} as {@code name} on {@code <attach dir>/<pid>.sock}, on daemon
     * threads; returns once the socket accepts.
     *
     * @throws IOException if the attach directory is unsafe (another owner, writable by others) or
     *                     the socket cannot be bound; the message says which in one line
     */
    public static AttachServer start(TaskRegistry registry, String name) throws IOException {
        return builder(registry).name(name).start();
    }

    /** A builder for a server with more than a name: a directory, a socket path, a loops source. */
    public static Builder builder(TaskRegistry registry) {
        return new Builder(registry);
    }

    /** The socket's path. Never {@code null}. */
    public Path socket() {
        return socket;
    }

    /** Clients being served now. */
    public int clients() {
        return sessions.size();
    }

    /** Full collections the {@code gc} op ran since start (tests, soak). */
    int gcCollectionsRun() {
        return service.gcCollectionsRun();
    }

    /** Stops serving, disconnects every client and removes the socket. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // The acceptor stops either way.
        }
        // The socket goes first: a client that sees its connection end finds no socket left.
        deleteQuietly(socket);
        for (ServerSession s : sessions) {
            s.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs anyway, harmlessly.
        }
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                if (closed.get() || !server.isOpen()) {
                    return;
                }
                // Out of file descriptors or similar: back off instead of spinning.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            try {
                admit(channel);
            } catch (Error e) {
                // Out of memory or threads: refuse this one, count it, keep accepting.
                InternalErrors.record(Thread.currentThread().getName(), e);
                closeQuietly(channel);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    private void admit(SocketChannel channel) {
        try {
            UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (peer == null || !policy.admits(peer)) {
                refuse(channel, ErrorCode.FORBIDDEN, "this target serves only its own user and root, not "
                        + (peer == null || peer.user() == null ? "an unknown user" : peer.user().getName()));
                return;
            }
            if (sessions.size() >= MAX_CLIENTS && !evictOneIdle()) {
                refuse(channel, ErrorCode.BUSY, "the target serves at most " + MAX_CLIENTS
                        + " clients at once and none of them is idle; try again later");
                return;
            }
            ServerSession[] self = new ServerSession[1];
            ServerSession session = new ServerSession(channel, service, limits, ++sessionNumber,
                    () -> sessions.remove(self[0]), this::close);
            self[0] = session;
            sessions.add(session);
            session.start();
            if (closed.get()) {
                session.close();
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
        }
    }

    /**
     * Makes room for a new client: evicts the session idle the longest, if one has been idle
     * (no subscription, nothing being answered or half sent) for at least {@link #EVICTABLE_AFTER}.
     */
    private boolean evictOneIdle() {
        long now = System.nanoTime();
        ServerSession longest = null;
        long longestIdle = EVICTABLE_AFTER.toNanos() - 1;
        for (ServerSession s : sessions) {
            long idle = s.idleFor(now);
            if (idle > longestIdle) {
                longest = s;
                longestIdle = idle;
            }
        }
        if (longest == null) {
            return false;
        }
        sessions.remove(longest);
        longest.evict("closed after " + (longestIdle / 1_000_000L) + "ms idle to make room for another client");
        return true;
    }

    /** One error line, written without ever blocking the accept thread, then close. */
    private static void refuse(SocketChannel channel, ErrorCode code, String message) {
        try {
            channel.configureBlocking(false);
            channel.write(ByteBuffer.wrap(WireCodec.encodeLine(new WireMessage.ErrorReply(null, code, message))));
        } catch (IOException ignored) {
            // The peer is gone already.
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing more to do.
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // Left behind: a later `routerctl list` removes it as stale.
        }
    }

    /**
     * Builds an {@link AttachServer}. Defaults: name {@code "java"}, the {@linkplain
     * AttachDirectory#resolve() resolved} directory, socket {@code <dir>/<pid>.sock}, loops from
     * {@link TaskRegistry#loops(long)}.
     *
     * <h2>Thread safety</h2>
     * Not thread safe; use from one thread.
     */
    public static final class Builder {
        private final TaskRegistry registry;
        private String name = "java";
        private Path directory;
        private Path socket;
        private LongFunction<List<LoopSnapshot>> loops;
        private PeerPolicy policy;
        private ServerSession.Limits limits = ServerSession.Limits.DEFAULT;
        private Supplier<String> integration = () -> null;
        private Function<Long, String> detacher;

        private Builder(TaskRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** The service name the hello shows, e.g. {@code sample-router}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * How routerctl is in this process, for the hello (e.g. {@code agent, Netty 4.2.18.Final});
         * asked at every hello, so it may change. Default: none.
         */
        public Builder integration(Supplier<String> integration) {
            this.integration = Objects.requireNonNull(integration, "integration");
            return this;
        }

        /**
         * Serves the {@code detach} op: where an agent brought routerctl in, how to take it out
         * again. Called on an attach thread with the request's deadline (epoch ms, or null); returns
         * one line saying what it did. After answering, the server closes. Without it, {@code detach}
         * is answered {@code unsupported}.
         */
        public Builder detach(Function<Long, String> detacher) {
            this.detacher = Objects.requireNonNull(detacher, "detacher");
            return this;
        }

        /** The attach directory, instead of the resolved one. */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** The socket's path, instead of {@code <dir>/<pid>.sock}; its directory is prepared the same way. */
        public Builder socket(Path socket) {
            this.socket = Objects.requireNonNull(socket, "socket");
            return this;
        }

        /**
         * Where loop facts come from, by stuck threshold: for the {@code loops} op and every
         * subscription update. A runtime that tracks loop health (heartbeats, lag) passes a function
         * that decorates or replaces {@link TaskRegistry#loops(long)}; it runs on attach threads,
         * must not block, and may return an empty list but not {@code null}.
         */
        public Builder loops(LongFunction<List<LoopSnapshot>> loops) {
            this.loops = Objects.requireNonNull(loops, "loops");
            return this;
        }

        /** How long a session may stay idle or half sent (tests); default {@link ServerSession.Limits#DEFAULT}. */
        Builder limits(Duration idle, Duration halfSent) {
            this.limits = new ServerSession.Limits(idle, halfSent);
            return this;
        }

        /** Who may attach (tests); default the process's own user and root. */
        Builder peerPolicy(PeerPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Binds the socket and starts accepting; returns once the socket accepts. */
        public AttachServer start() throws IOException {
            Path dir = socket != null ? socket.toAbsolutePath().getParent()
                    : directory != null ? directory : AttachDirectory.resolve();
            AttachDirectory.prepare(dir);
            Path path = socket != null ? socket : AttachDirectory.socketOf(dir, ProcessHandle.current().pid());
            removeIfStale(path);
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.bind(UnixDomainSocketAddress.of(path), MAX_CLIENTS * 2);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
            }
            PeerPolicy p = policy != null ? policy : PeerPolicy.sameUserOrRoot(PeerPolicy.self());
            AttachServer server = new AttachServer(channel, path, new TargetService(registry, name, loops, integration, detacher), p, limits);
            Runtime.getRuntime().addShutdownHook(server.cleanupHook);
            server.acceptor.start();
            return server;
        }

        /** A socket file nobody listens on is a leftover (our pid's previous owner crashed): remove it. */
        private static void removeIfStale(Path path) throws IOException {
            if (!Files.exists(path)) {
                return;
            }
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(path));
            } catch (IOException nobodyListens) {
                Files.deleteIfExists(path);
                return;
            }
            throw new IOException("another attach server already listens on " + path);
        }
    }
}
