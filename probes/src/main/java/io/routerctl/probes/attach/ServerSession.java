package io.routerctl.probes.attach;

import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.internal.LineReader;
import io.routerctl.probes.query.CompiledQuery;
import io.routerctl.probes.wire.ErrorCode;
import io.routerctl.probes.wire.Op;
import io.routerctl.probes.wire.WireCodec;
import io.routerctl.probes.wire.WireException;
import io.routerctl.probes.wire.WireMessage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attached client: a reader thread that reads and answers requests, and a writer thread that
 * owns the socket's output and the client's subscriptions.
 *
 * <h2>How data flows</h2>
 * The reader decodes a line, computes the reply (registry reads only) and hands it to the writer
 * through a small bounded outbox; the writer writes replies in order and, between them, the
 * subscription updates that fall due. Subscription changes travel through the outbox with their
 * reply, so the writer, which alone keeps the schedule, always sends a {@code subscribe} reply
 * before that subscription's first update.
 *
 * <h2>Slow clients</h2>
 * A client that does not read fills its socket buffer; the writer then blocks in {@code write},
 * and only this client's writer (and, once the outbox is full, its reader) waits. Updates that fall
 * due meanwhile are not queued: when the writer gets going again it sends one update whose
 * {@code dropped} counts the ticks it skipped. Memory per client is bounded by the outbox
 * ({@value #OUTBOX_CAPACITY} replies) and the line cap.
 *
 * <h2>Idle and half-sent connections</h2>
 * The writer wakes at least once a second and ends a session that holds no subscription and has
 * sent no request for {@link Limits#idle()}, or whose current request line has stayed incomplete
 * for {@link Limits#halfSent()}, with a {@code timeout} error line. When every slot is taken, the
 * accept thread may {@linkplain #evict evict} a session that is {@linkplain #idleFor idle} (no
 * subscription, no request being answered, nothing half sent), so a connection that never says
 * anything cannot lock everyone else out.
 *
 * <h2>Thread safety</h2>
 * The subscription ids are the reader's, the schedule is the writer's; they share only the outbox
 * and the {@code closed} flag. The activity fields are volatile, read by the writer and the accept
 * thread. {@link #close()} and {@link #evict} may be called from any thread.
 */
final class ServerSession {

    /** Subscription updates never sent (over budget, or a client too slow to take them), process-wide. */
    static final java.util.concurrent.atomic.LongAdder UPDATES_DROPPED = new java.util.concurrent.atomic.LongAdder();


    /** The longest request line accepted: 1 MiB. A longer one gets {@code too_large} and the connection closes. */
    static final int MAX_LINE_BYTES = 1 << 20;
    /** Subscriptions one connection may hold at once. */
    static final int MAX_SUBSCRIPTIONS = 8;
    static final int OUTBOX_CAPACITY = 2;
    /** How often an idle writer wakes to look at the timeouts. */
    private static final long CHECK_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * How long a session may stay silent.
     *
     * @param idle     no subscription and no request for this long: closed
     * @param halfSent a request line incomplete for this long: closed
     */
    record Limits(java.time.Duration idle, java.time.Duration halfSent) {
        /** Five minutes idle, ten seconds for a line to arrive. */
        static final Limits DEFAULT = new Limits(java.time.Duration.ofMinutes(5), java.time.Duration.ofSeconds(10));
    }

    private sealed interface Outgoing {
    }

    private record Line(byte[] bytes) implements Outgoing {
    }

    /**
     * A new subscription ({@code intervalNanos > 0}) or a new query for one ({@code intervalNanos == 0}),
     * with its first update, computed by the reader so that a query over budget is refused in the
     * reply instead of failing every tick.
     */
    private record Subscribe(long id, CompiledQuery query, long intervalNanos, byte[] reply, WireMessage.Update firstUpdate)
            implements Outgoing {
    }

    private record Unsubscribe(long id, byte[] reply) implements Outgoing {
    }

    /** Write these bytes (the reply to {@code detach}), then close the whole server. */
    private record CloseServerAfter(byte[] bytes) implements Outgoing {
    }

    /** Write what is queued up to here, then close: {@code bytes} may be empty. */
    private record CloseAfter(byte[] bytes) implements Outgoing {
    }

    private static final class Scheduled {
        final long id;
        CompiledQuery query;
        final long intervalNanos;
        long nextDue;
        long seq;
        /** Ticks skipped since the last update sent: over budget, or missed while writing. */
        long skipped;

        Scheduled(long id, CompiledQuery query, long intervalNanos, long nextDue) {
            this.id = id;
            this.query = query;
            this.intervalNanos = intervalNanos;
            this.nextDue = nextDue;
        }
    }

    private final SocketChannel channel;
    private final TargetService service;
    private final Limits limits;
    private final Runnable onEnd;
    private final Runnable closeServer;
    private final LineReader lines;
    /** When the last complete request line arrived (or the session started). */
    private volatile long lastHeardNanos = System.nanoTime();
    /** The reader is computing an answer. */
    private volatile boolean answering;
    /** Subscriptions this connection holds: the reader's count, published. */
    private volatile int subscriptions;
    private final BlockingQueue<Outgoing> outbox = new ArrayBlockingQueue<>(OUTBOX_CAPACITY);
    private final Thread reader;
    private final Thread writer;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean closed;

    /** Reader-owned: live subscription ids of this connection. */
    private final Set<Long> subscriptionIds = new HashSet<>();
    private long lastSubscription;

    /** Writer-owned: the subscriptions and when each is due. */
    private final Map<Long, Scheduled> schedule = new LinkedHashMap<>();

    ServerSession(SocketChannel channel, TargetService service, Limits limits, int number, Runnable onEnd,
                  Runnable closeServer) {
        this.channel = channel;
        this.service = service;
        this.limits = limits;
        this.onEnd = onEnd;
        this.closeServer = closeServer;
        this.lines = new LineReader(channel, MAX_LINE_BYTES);
        this.reader = new Thread(this::readLoop, "routerctl-attach-client-" + number);
        this.writer = new Thread(this::writeLoop, "routerctl-attach-writer-" + number);
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    void start() {
        writer.start();
        reader.start();
    }

    /** Ends the session: closes the socket, which unblocks both threads. Idempotent. */
    void close() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is best effort; the threads end either way.
        }
        if (Thread.currentThread() != writer) {
            writer.interrupt();
        }
        onEnd.run();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * How long this session has been idle at {@code now}: nothing subscribed, nothing being
     * answered, nothing half sent; -1 when it is not idle.
     */
    long idleFor(long now) {
        if (closed || answering || subscriptions > 0 || lines.partialSinceNanos() != LineReader.NOT_MID_LINE) {
            return -1;
        }
        return Math.max(0, now - lastHeardNanos);
    }

    /** Ends an idle session to give its slot to a new client: a {@code timeout} line if it fits, then close. */
    void evict(String why) {
        if (!outbox.offer(new CloseAfter(WireCodec.encodeLine(new WireMessage.ErrorReply(null, ErrorCode.TIMEOUT, why))))) {
            close();
        }
    }

    /** This session as the {@link Turns} see it: wanted while open; costly once a read ran out of budget. */
    private final Turns.Caller caller = new Turns.Caller() {
        private volatile boolean costly;

        @Override
        public boolean wanted() {
            return !closed;
        }

        @Override
        public boolean costly() {
            return costly;
        }

        @Override
        public void markCostly() {
            costly = true;
        }
    };

    // ---- reader ----

    private void readLoop() {
        boolean handedOver = false;
        try {
            hand(new Line(WireCodec.encodeLine(new WireMessage.Hello(service.target()))));
            while (!closed) {
                String line;
                try {
                    line = lines.readLine();
                } catch (LineReader.LineTooLongException e) {
                    hand(new CloseAfter(WireCodec.encodeLine(new WireMessage.ErrorReply(null, ErrorCode.TOO_LARGE,
                            "a request line is longer than " + MAX_LINE_BYTES + " bytes; closing"))));
                    handedOver = true;
                    return;
                }
                if (line == null) {
                    // End of input: the writer sends what is queued, then closes.
                    hand(new CloseAfter(new byte[0]));
                    handedOver = true;
                    return;
                }
                lastHeardNanos = System.nanoTime();
                if (!line.isBlank()) {
                    answering = true;
                    try {
                        hand(answer(line));
                    } finally {
                        answering = false;
                        subscriptions = subscriptionIds.size();
                        lastHeardNanos = System.nanoTime();
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client went away or the server is closing.
        } catch (RuntimeException | Error e) {
            // A bug of ours, or out of memory: end this client, never the service.
            InternalErrors.record(Thread.currentThread().getName(), e);
        } finally {
            if (!handedOver) {
                close();
            }
        }
    }

    /** Hands {@code o} to the writer, waiting while the outbox is full (a slow client), until closed. */
    private void hand(Outgoing o) throws InterruptedException, IOException {
        while (!outbox.offer(o, 100, TimeUnit.MILLISECONDS)) {
            if (closed) {
                throw new IOException("session closed");
            }
        }
    }

    private Outgoing answer(String line) {
        WireMessage.Request request;
        try {
            request = WireCodec.decodeRequest(line);
        } catch (WireException e) {
            return error(e.requestId(), e.code(), e.getMessage());
        }
        try {
            if (TargetService.isOneShot(request.op())) {
                byte[] reply = WireCodec.encodeLine(new WireMessage.Result(request.id(), request.op(),
                        service.answer(request, caller)));
                // Detached: the answer goes out, then the server (this session included) closes.
                return request.op() == Op.DETACH ? new CloseServerAfter(reply) : new Line(reply);
            }
            return subscriptionChange(request);
        } catch (WireException e) {
            return error(request.id(), e.code(), e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return error(request.id(), ErrorCode.INTERNAL, "failed to answer " + request.op().wireName() + ": " + e);
        }
    }

    private Outgoing subscriptionChange(WireMessage.Request request) throws WireException {
        switch (request.op()) {
            case SUBSCRIBE -> {
                if (subscriptionIds.size() >= MAX_SUBSCRIPTIONS) {
                    throw new WireException(ErrorCode.BAD_REQUEST,
                            "a connection holds at most " + MAX_SUBSCRIPTIONS + " subscriptions");
                }
                CompiledQuery query = TargetService.compile(request.query());
                long id = lastSubscription + 1;
                WireMessage.Update first = service.update(id, 1, 0, query, caller);
                lastSubscription = id;
                subscriptionIds.add(id);
                return new Subscribe(id, query, TimeUnit.MILLISECONDS.toNanos(request.intervalMs()),
                        subscriptionReply(request, id), first);
            }
            case RESUBSCRIBE -> {
                long id = request.subscription();
                if (!subscriptionIds.contains(id)) {
                    throw notFound(id);
                }
                CompiledQuery query = TargetService.compile(request.query());
                WireMessage.Update first = service.update(id, 0, 0, query, caller);
                return new Subscribe(id, query, 0, subscriptionReply(request, id), first);
            }
            case UNSUBSCRIBE -> {
                long id = request.subscription();
                if (!subscriptionIds.remove(id)) {
                    throw notFound(id);
                }
                return new Unsubscribe(id, subscriptionReply(request, id));
            }
            default -> throw new IllegalArgumentException("not a subscription op: " + request.op());
        }
    }

    private static WireException notFound(long id) {
        return new WireException(ErrorCode.NOT_FOUND, "no subscription " + id + " on this connection");
    }

    private static byte[] subscriptionReply(WireMessage.Request request, long id) {
        return WireCodec.encodeLine(new WireMessage.Result(request.id(), request.op(),
                Map.of("subscription", id)));
    }

    private static Line error(Long id, ErrorCode code, String message) {
        return new Line(WireCodec.encodeLine(new WireMessage.ErrorReply(id, code, message)));
    }

    // ---- writer ----

    private void writeLoop() {
        try {
            while (!closed) {
                long now = System.nanoTime();
                long wait = Long.MAX_VALUE;
                for (Scheduled s : schedule.values()) {
                    wait = Math.min(wait, s.nextDue - now);
                }
                Outgoing o = wait <= 0 ? outbox.poll() : outbox.poll(Math.min(wait, CHECK_PERIOD_NANOS), TimeUnit.NANOSECONDS);
                if (o != null && !apply(o)) {
                    return;
                }
                sendDueUpdates();
                String expired = expired(System.nanoTime());
                if (expired != null) {
                    write(WireCodec.encodeLine(new WireMessage.ErrorReply(null, ErrorCode.TIMEOUT, expired)));
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client went away, or close() interrupted us.
        } catch (RuntimeException | Error e) {
            // A bug of ours, or out of memory: end this client, never the service.
            InternalErrors.record(Thread.currentThread().getName(), e);
        } finally {
            close();
        }
    }

    /** Why the session should end at {@code now} for its silence, or null. */
    private String expired(long now) {
        long since = lines.partialSinceNanos();
        if (since != LineReader.NOT_MID_LINE && now - since > limits.halfSent().toNanos()) {
            return "a request line was still incomplete after " + limits.halfSent().toMillis() + "ms; closing";
        }
        long idle = idleFor(now);
        if (idle > limits.idle().toNanos()) {
            return "idle for " + limits.idle().toMillis() + "ms with no subscription; closing";
        }
        return null;
    }

    /** Writes {@code o} and applies what it carries; false when the session should end. */
    private boolean apply(Outgoing o) throws IOException {
        if (o instanceof Line line) {
            write(line.bytes());
        } else if (o instanceof Subscribe sub) {
            long now = System.nanoTime(); // ticks that pass while these writes block count as dropped
            write(sub.reply());
            Scheduled s = schedule.get(sub.id());
            if (s != null) {
                s.query = sub.query();
            } else if (sub.intervalNanos() > 0) {
                s = new Scheduled(sub.id(), sub.query(), sub.intervalNanos(), 0);
                schedule.put(sub.id(), s);
            }
            if (s != null) {
                // The first update of the (changed) query, computed by the reader, shows at once.
                WireMessage.Update u = sub.firstUpdate();
                s.seq++;
                write(WireCodec.encodeLine(new WireMessage.Update(u.subscription(), s.seq, s.skipped, u.target(),
                        u.report(), u.loops())));
                s.skipped = 0;
                s.nextDue = now + s.intervalNanos;
            }
        } else if (o instanceof Unsubscribe unsub) {
            schedule.remove(unsub.id());
            write(unsub.reply());
        } else if (o instanceof CloseAfter end) {
            write(end.bytes());
            return false;
        } else if (o instanceof CloseServerAfter end) {
            write(end.bytes());
            closeServer.run();
            return false;
        }
        return true;
    }

    private void sendDueUpdates() throws IOException {
        for (Iterator<Scheduled> it = schedule.values().iterator(); it.hasNext(); ) {
            Scheduled s = it.next();
            long now = System.nanoTime();
            if (now - s.nextDue < 0) {
                continue;
            }
            // Ticks that passed while we were blocked writing to this client were skipped: count them.
            long missed = (now - s.nextDue) / s.intervalNanos + s.skipped;
            s.nextDue += ((now - s.nextDue) / s.intervalNanos + 1) * s.intervalNanos;
            byte[] bytes;
            try {
                bytes = WireCodec.encodeLine(service.update(s.id, s.seq + 1, missed, s.query, caller));
                s.seq++;
                s.skipped = 0;
                if (missed > 0) {
                    UPDATES_DROPPED.add(missed);
                }
            } catch (WireException e) {
                // Over budget this time (the registry grew, other clients took the turns): this tick
                // is skipped and counted in the next update's dropped, like a tick a slow client missed.
                s.skipped = missed + 1;
                continue;
            } catch (RuntimeException | StackOverflowError e) {
                it.remove();
                bytes = WireCodec.encodeLine(new WireMessage.ErrorReply(null, ErrorCode.INTERNAL,
                        "subscription " + s.id + " failed and was ended: " + e));
            }
            write(bytes);
        }
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
