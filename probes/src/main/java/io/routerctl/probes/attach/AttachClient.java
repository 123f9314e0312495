package io.routerctl.probes.attach;

import io.routerctl.probes.internal.LineReader;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.wire.ErrorCode;
import io.routerctl.probes.wire.Op;
import io.routerctl.probes.wire.WireCodec;
import io.routerctl.probes.wire.WireException;
import io.routerctl.probes.wire.WireMessage;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection to one target's attach socket: the only way the console and playbooks talk to a
 * target.
 *
 * <pre>{@code
 * try (AttachClient client = AttachClient.connect(target.socket(), Duration.ofSeconds(5))) {
 *     TaskReport stuck = client.query(TaskQuery.stuck(5_000, 100));
 * }
 * }</pre>
 *
 * <h2>How it works</h2>
 * {@link #connect} connects and waits for the target's hello. Requests are synchronous: each sends
 * one line with a fresh id and waits for the reply with that id. A daemon reader thread
 * ({@code routerctl-attach-reader}) reads every line the target sends, completes the waiting
 * request or, for subscription updates, calls the {@link SubscriptionListener}.
 *
 * <h2>Errors</h2>
 * {@link AttachException}: the target cannot be reached, went away, or did not answer in time;
 * its message is one line, e.g. {@code no process is listening on /tmp/routerctl-root/42.sock}.
 * {@link TargetErrorException}: the target answered with an error reply (its code and message).
 *
 * <h2>Thread safety</h2>
 * Safe from any thread: requests from several threads are serialised on the socket and matched by
 * id. {@link #close()} is idempotent. No method returns {@code null} unless it says so.
 */
public final class AttachClient implements AutoCloseable {

    /** How long a request waits for its reply when none is given. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The longest reply line read: 32 MiB. The largest a target sends (10,000 tasks of a query, or
     * a task with 1,000 relatives each way) is about 10 MiB; past the cap the peer is runaway or
     * hostile and the connection is closed.
     */
    static final int MAX_REPLY_BYTES = 32 << 20;

    private final Path socket;
    private final SocketChannel channel;
    private final Duration requestTimeout;
    private final Object writeLock = new Object();
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<Long, SubscriptionListener> listeners = new ConcurrentHashMap<>();
    private final CompletableFuture<TargetInfo> hello = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread reader;
    private volatile TargetInfo target;
    /** Why the connection ended, once it has; {@code null} while open or when we closed it. */
    private volatile Exception endCause;

    /** A request waiting for its reply; a subscribe also carries the listener to register. */
    private record Pending(CompletableFuture<WireMessage> reply, SubscriptionListener listener) {
    }

    private AttachClient(Path socket, SocketChannel channel, Duration requestTimeout) {
        this.socket = socket;
        this.channel = channel;
        this.requestTimeout = requestTimeout;
        this.reader = new Thread(this::readLoop, "routerctl-attach-reader");
        this.reader.setDaemon(true);
    }

    /** Connects, reads the hello; {@link AttachException} if not reachable within {@code timeout}. */
    public static AttachClient connect(Path socket, Duration timeout) throws AttachException {
        return connect(socket, timeout, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * Connects and reads the hello within {@code connectTimeout}; later requests wait at most
     * {@code requestTimeout} for their reply.
     */
    public static AttachClient connect(Path socket, Duration connectTimeout, Duration requestTimeout)
            throws AttachException {
        String untrusted = AttachDirectory.problemConnecting(socket);
        if (untrusted != null) {
            throw new AttachException("not attaching: " + untrusted, AttachException.Reason.UNTRUSTED);
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new AttachException("cannot open a Unix domain socket: " + e.getMessage(), e);
        }
        // A blocking connect can wait on a full backlog: a timer closes the channel, which ends the wait.
        AtomicBoolean connected = new AtomicBoolean();
        CompletableFuture.delayedExecutor(connectTimeout.toNanos(), TimeUnit.NANOSECONDS).execute(() -> {
            if (!connected.get()) {
                closeQuietly(channel);
            }
        });
        long deadline = System.nanoTime() + connectTimeout.toNanos();
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            connected.set(true);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            throw new AttachException(connectFailure(socket, e, connectTimeout), e);
        }
        String peerProblem = peerProblem(socket, channel);
        if (peerProblem != null) {
            closeQuietly(channel);
            throw new AttachException("not attaching: " + peerProblem, AttachException.Reason.UNTRUSTED);
        }
        AttachClient client = new AttachClient(socket, channel, requestTimeout);
        client.reader.start();
        try {
            client.target = client.hello.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            long named = AttachDirectory.pidOf(socket);
            if (named > 0 && client.target.pid() != named) {
                client.close();
                throw new AttachException("not attaching: " + socket + " answered as pid " + client.target.pid()
                        + " but is named for pid " + named, AttachException.Reason.UNTRUSTED);
            }
            return client;
        } catch (TimeoutException e) {
            client.close();
            throw new AttachException(socket + " sent no hello within " + describe(connectTimeout),
                    AttachException.Reason.NO_HELLO);
        } catch (ExecutionException e) {
            client.close();
            Throwable cause = e.getCause();
            throw cause instanceof AttachException ae ? ae : new AttachException(socket + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new AttachException("interrupted while attaching to " + socket, e);
        }
    }

    /** Why the process at the other end must not be believed, or null: see {@link PeerPolicy#trustsTarget}. */
    private static String peerProblem(Path socket, SocketChannel channel) {
        UnixDomainPrincipal peer;
        UserPrincipal owner;
        try {
            peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            owner = Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return "cannot learn who listens on " + socket + ": " + e.getMessage();
        }
        if (peer == null || !PeerPolicy.trustsTarget(peer.user(), owner)) {
            return "the process listening on " + socket + " runs as "
                    + (peer == null || peer.user() == null ? "an unknown user" : peer.user().getName())
                    + ", neither you nor root";
        }
        return null;
    }

    private static String connectFailure(Path socket, Exception e, Duration timeout) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("No such file") || m.contains("Connection refused")) {
            return "no process is listening on " + socket;
        }
        if (m.contains("Permission denied") || m.contains("Operation not permitted")) {
            return "permission denied: " + socket;
        }
        if (e instanceof java.nio.channels.ClosedChannelException) {
            return socket + " did not accept within " + describe(timeout);
        }
        return "cannot connect to " + socket + ": " + m;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** The target's identity, from its hello. */
    public TargetInfo target() {
        return target;
    }

    /** The socket this client is connected to. */
    public Path socket() {
        return socket;
    }

    /** Asks the target who it is now (uptime and loop count move; the pid does not). */
    public TargetInfo hello() throws AttachException, TargetErrorException {
        Map<String, Object> result = call(WireMessage.Request.of(ids.incrementAndGet(), Op.HELLO), null);
        return read(result.get("target"), TargetInfo.class);
    }

    /** Runs {@code query} inside the target. */
    public TaskReport query(TaskQuery query) throws AttachException, TargetErrorException {
        Map<String, Object> result = call(new WireMessage.Request(ids.incrementAndGet(), Op.QUERY, query, null, null, null, null), null);
        return read(result, TaskReport.class);
    }

    /** Per-loop counts with {@code olderThanMs} as the stuck threshold (the adaptive rule on). */
    public List<LoopSnapshot> loops(long olderThanMs) throws AttachException, TargetErrorException {
        return loops(olderThanMs, true);
    }

    /** Per-loop counts with {@code olderThanMs} as the stuck threshold, the adaptive rule too when {@code adaptive}. */
    public List<LoopSnapshot> loops(long olderThanMs, boolean adaptive) throws AttachException, TargetErrorException {
        Map<String, Object> result = call(new WireMessage.Request(ids.incrementAndGet(), Op.LOOPS, null, olderThanMs, null,
                null, null, null, adaptive ? null : Boolean.FALSE), null);
        return readList(result.get("loops"), LoopSnapshot.class);
    }

    /** One task and its relatives; {@link TargetErrorException} with code {@code not_found} if gone. */
    public TaskFamily task(long id, long olderThanMs) throws AttachException, TargetErrorException {
        return task(id, olderThanMs, true);
    }

    /** {@link #task(long, long)}, classified with the adaptive rule only when {@code adaptive}. */
    public TaskFamily task(long id, long olderThanMs, boolean adaptive) throws AttachException, TargetErrorException {
        Map<String, Object> result = call(new WireMessage.Request(ids.incrementAndGet(), Op.TASK, null, olderThanMs, id,
                null, null, null, adaptive ? null : Boolean.FALSE), null);
        Object parent = result.get("parent");
        return new TaskFamily(
                read(result.get("task"), TaskSnapshot.class),
                parent == null ? null : read(parent, TaskSnapshot.class),
                readList(result.get("siblings"), TaskSnapshot.class),
                readList(result.get("children"), TaskSnapshot.class),
                result.get("wait_histogram") == null ? null
                        : read(result.get("wait_histogram"), io.routerctl.probes.snapshot.WaitHistogram.class));
    }

    /**
     * Intrusive: runs a full GC in the target (pausing it), waits until its collected completers
     * were examined (at most a few seconds), and returns the lost wake-ups that proved.
     */
    public GcResult collectLostWakeups() throws AttachException, TargetErrorException {
        Map<String, Object> result = call(WireMessage.Request.of(ids.incrementAndGet(), Op.GC), null);
        return read(result, GcResult.class);
    }

    /**
     * Takes routerctl out of the target (where an agent brought it in): the target answers with one
     * line saying what it did, then closes this connection and its socket. {@code deadlineMs}
     * (epoch ms) is when the target must stop considering the request: one read later, by a target
     * that was stopped meanwhile, is answered {@code expired} and not applied.
     *
     * @throws TargetErrorException {@code unsupported} where routerctl is built in, {@code expired}
     */
    public String detach(long deadlineMs) throws AttachException, TargetErrorException {
        Map<String, Object> result = call(new WireMessage.Request(ids.incrementAndGet(), Op.DETACH, null, null, null,
                null, null, deadlineMs, null), null);
        // The target closes the connection once it has removed its socket: wait for that, so that
        // whoever looks right after (routerctl list) no longer finds it.
        try {
            reader.join(requestTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return String.valueOf(result.get("detached"));
    }

    /** The probe points the target declared, in declaration order. */
    public List<PointSnapshot> points() throws AttachException, TargetErrorException {
        Map<String, Object> result = call(WireMessage.Request.of(ids.incrementAndGet(), Op.POINTS), null);
        return readList(result.get("points"), PointSnapshot.class);
    }

    /**
     * Streams {@code query}'s report every {@code interval} to {@code listener} until closed. The
     * first update follows at once. {@code interval} must be 100 ms to 60 s ({@code bad_request}
     * otherwise).
     */
    public Subscription subscribe(TaskQuery query, Duration interval, SubscriptionListener listener)
            throws AttachException, TargetErrorException {
        Map<String, Object> result = call(new WireMessage.Request(ids.incrementAndGet(), Op.SUBSCRIBE, query, null, null,
                interval.toMillis(), null), listener);
        if (!(result.get("subscription") instanceof Long subscription)) {
            throw new AttachException(socket + " answered subscribe without a subscription number");
        }
        return new ClientSubscription(this, subscription);
    }

    void resubscribe(long subscription, TaskQuery query) throws AttachException, TargetErrorException {
        call(new WireMessage.Request(ids.incrementAndGet(), Op.RESUBSCRIBE, query, null, null, null, subscription), null);
    }

    void unsubscribe(long subscription) {
        if (listeners.remove(subscription) == null || closed.get()) {
            return;
        }
        try {
            call(new WireMessage.Request(ids.incrementAndGet(), Op.UNSUBSCRIBE, null, null, null, null, subscription), null);
        } catch (AttachException | TargetErrorException e) {
            // Gone either way: no more updates reach the listener.
        }
    }

    /** True until {@link #close()} or until the target closed the connection. */
    public boolean isOpen() {
        return !closed.get() && channel.isOpen();
    }

    /** Disconnects; listeners get {@code onClosed(null)}. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(channel);
        }
    }

    // ---- requests ----

    private Map<String, Object> call(WireMessage.Request request, SubscriptionListener listener)
            throws AttachException, TargetErrorException {
        if (!isOpen()) {
            throw closedException();
        }
        CompletableFuture<WireMessage> reply = new CompletableFuture<>();
        pending.put(request.id(), new Pending(reply, listener));
        try {
            send(request);
            WireMessage m = reply.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
            if (m instanceof WireMessage.ErrorReply error) {
                throw new TargetErrorException(error.code().wireName(), error.message());
            }
            if (!(((WireMessage.Result) m).result() instanceof Map<?, ?> map)) {
                throw new AttachException(socket + " answered " + request.op().wireName() + " without a result object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) map;
            return result;
        } catch (TimeoutException e) {
            throw new AttachException(socket + " did not answer " + request.op().wireName() + " within "
                    + describe(requestTimeout));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TargetErrorException te) {
                throw te;
            }
            throw cause instanceof AttachException ae ? ae : new AttachException(socket + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AttachException("interrupted while waiting for " + socket, e);
        } finally {
            pending.remove(request.id());
        }
    }

    private void send(WireMessage.Request request) throws AttachException {
        ByteBuffer buffer = ByteBuffer.wrap(WireCodec.encodeLine(request));
        synchronized (writeLock) {
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException e) {
                throw closedException();
            }
        }
    }

    private AttachException closedException() {
        Exception cause = endCause;
        return new AttachException("the connection to " + socket + " is closed"
                + (cause == null ? "" : ": " + cause.getMessage()), cause);
    }

    private <T> T read(Object tree, Class<T> type) throws AttachException {
        if (tree == null) {
            throw new AttachException(socket + " sent a reply without the expected " + type.getSimpleName());
        }
        try {
            return WireCodec.read(tree, type);
        } catch (WireException e) {
            throw new AttachException(socket + " sent a malformed reply: " + e.getMessage(), e);
        }
    }

    private <T> List<T> readList(Object tree, Class<T> type) throws AttachException {
        if (tree == null) {
            throw new AttachException(socket + " sent a reply without the expected list of " + type.getSimpleName());
        }
        try {
            return WireCodec.readList(tree, type);
        } catch (WireException e) {
            throw new AttachException(socket + " sent a malformed reply: " + e.getMessage(), e);
        }
    }

    // ---- reader thread ----

    private void readLoop() {
        Exception cause = null;
        try {
            LineReader lines = new LineReader(channel, MAX_REPLY_BYTES);
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    dispatch(WireCodec.decodeServerMessage(line));
                }
            }
            cause = new AttachException("the target closed the connection");
        } catch (LineReader.LineTooLongException e) {
            cause = new AttachException("the target sent a reply longer than " + (MAX_REPLY_BYTES >> 20)
                    + " MiB; closing the connection", e);
        } catch (IOException e) {
            cause = closed.get() ? null : new AttachException("the connection broke: " + e.getMessage(), e);
        } catch (WireException e) {
            cause = e.code() == ErrorCode.UNSUPPORTED_VERSION
                    ? new AttachException("the target speaks another protocol: " + e.getMessage(), e)
                    : new AttachException("the target sent something that is not protocol v1: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            cause = new AttachException("failed to read from the target: " + e, e);
        } finally {
            end(cause);
        }
    }

    private void dispatch(WireMessage message) {
        if (message instanceof WireMessage.Hello h) {
            hello.complete(h.target());
        } else if (message instanceof WireMessage.ErrorReply error && error.id() == null) {
            // Connection-level: busy, forbidden, too_large. The target closes after it.
            AttachException e = new AttachException(connectionError(error), switch (error.code()) {
                case BUSY -> AttachException.Reason.BUSY;
                case FORBIDDEN -> AttachException.Reason.FORBIDDEN;
                default -> AttachException.Reason.UNREACHABLE;
            });
            if (!hello.isDone()) {
                hello.completeExceptionally(e);
            }
            endCause = e;
        } else if (message instanceof WireMessage.ErrorReply error) {
            complete(error.id(), message);
        } else if (message instanceof WireMessage.Result result) {
            Pending p = pending.get(result.id());
            if (p != null && p.listener() != null && result.op() == Op.SUBSCRIBE) {
                // Registered here, on the reader thread, so the first update (next line) finds it.
                if (result.result() instanceof Map<?, ?> map && map.get("subscription") instanceof Long sub) {
                    listeners.put(sub, p.listener());
                }
            }
            complete(result.id(), message);
        } else if (message instanceof WireMessage.Update update) {
            SubscriptionListener listener = listeners.get(update.subscription());
            if (listener != null) {
                try {
                    listener.onUpdate(update.target(), update.report(), update.loops(), update.dropped());
                } catch (RuntimeException e) {
                    // The listener's bug must not end the connection for everyone else.
                }
            }
        }
    }

    private String connectionError(WireMessage.ErrorReply error) {
        return switch (error.code()) {
            case FORBIDDEN -> "permission denied: " + socket + " (" + error.message() + ")";
            case BUSY -> "the target at " + socket + " is busy: " + error.message();
            default -> "the target at " + socket + " refused: " + error.code().wireName() + ": " + error.message();
        };
    }

    private void complete(long id, WireMessage reply) {
        Pending p = pending.get(id);
        if (p != null) {
            p.reply().complete(reply);
        }
    }

    private void end(Exception cause) {
        if (endCause == null) {
            endCause = cause;
        }
        Exception reported = closed.get() ? null : endCause;
        closed.set(true);
        closeQuietly(channel);
        AttachException failure = endCause instanceof AttachException ae ? ae
                : new AttachException("the connection to " + socket + " is closed", endCause);
        if (!hello.isDone()) {
            hello.completeExceptionally(endCause instanceof AttachException ae && ae.getMessage().contains(socket.toString())
                    ? ae : new AttachException(socket + " closed the connection before its hello"
                    + (endCause == null ? "" : ": " + endCause.getMessage()), endCause));
        }
        for (Pending p : new ArrayList<>(pending.values())) {
            p.reply().completeExceptionally(failure);
        }
        for (SubscriptionListener listener : new ArrayList<>(listeners.values())) {
            try {
                listener.onClosed(reported);
            } catch (RuntimeException ignored) {
                // Nothing more to tell it.
            }
        }
        listeners.clear();
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing more to do.
        }
    }
}
