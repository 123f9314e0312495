package io.routerctl.probes.attach;

import io.routerctl.probes.internal.LineReader;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.wire.ErrorCode;
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
 * <h2>Thread safety</h2>
 * The subscription ids are the reader's, the schedule is the writer's; they share only the outbox
 * and the {@code closed} flag. {@link #close()} may be called from any thread.
 */
final class ServerSession {

    /** The longest request line accepted: 1 MiB. A longer one gets {@code too_large} and the connection closes. */
    static final int MAX_LINE_BYTES = 1 << 20;
    /** Subscriptions one connection may hold at once. */
    static final int MAX_SUBSCRIPTIONS = 8;
    static final int OUTBOX_CAPACITY = 2;

    private sealed interface Outgoing {
    }

    private record Line(byte[] bytes) implements Outgoing {
    }

    /** A new subscription ({@code intervalNanos > 0}) or a new query for one ({@code intervalNanos == 0}). */
    private record Subscribe(long id, TaskQuery query, long intervalNanos, byte[] reply) implements Outgoing {
    }

    private record Unsubscribe(long id, byte[] reply) implements Outgoing {
    }

    /** Write what is queued up to here, then close: {@code bytes} may be empty. */
    private record CloseAfter(byte[] bytes) implements Outgoing {
    }

    private static final class Scheduled {
        final long id;
        TaskQuery query;
        final long intervalNanos;
        long nextDue;
        long seq;

        Scheduled(long id, TaskQuery query, long intervalNanos, long nextDue) {
            this.id = id;
            this.query = query;
            this.intervalNanos = intervalNanos;
            this.nextDue = nextDue;
        }
    }

    private final SocketChannel channel;
    private final TargetService service;
    private final Runnable onEnd;
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

    ServerSession(SocketChannel channel, TargetService service, int number, Runnable onEnd) {
        this.channel = channel;
        this.service = service;
        this.onEnd = onEnd;
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

    // ---- reader ----

    private void readLoop() {
        boolean handedOver = false;
        try {
            hand(new Line(WireCodec.encodeLine(new WireMessage.Hello(service.target()))));
            LineReader lines = new LineReader(channel, MAX_LINE_BYTES);
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
                if (!line.isBlank()) {
                    hand(answer(line));
                }
            }
        } catch (IOException | InterruptedException e) {
            // The client went away or the server is closing.
        } catch (RuntimeException | Error e) {
            // A bug of ours: end this client, never the service.
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
                return new Line(WireCodec.encodeLine(new WireMessage.Result(request.id(), request.op(),
                        service.answer(request))));
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
                long id = ++lastSubscription;
                subscriptionIds.add(id);
                return new Subscribe(id, request.query(), TimeUnit.MILLISECONDS.toNanos(request.intervalMs()),
                        subscriptionReply(request, id));
            }
            case RESUBSCRIBE -> {
                long id = request.subscription();
                if (!subscriptionIds.contains(id)) {
                    throw notFound(id);
                }
                return new Subscribe(id, request.query(), 0, subscriptionReply(request, id));
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
                Outgoing o = wait <= 0 ? outbox.poll() : outbox.poll(wait, TimeUnit.NANOSECONDS);
                if (o != null && !apply(o)) {
                    return;
                }
                sendDueUpdates();
            }
        } catch (IOException | InterruptedException e) {
            // The client went away, or close() interrupted us.
        } catch (RuntimeException | Error e) {
            // A bug of ours: end this client, never the service.
        } finally {
            close();
        }
    }

    /** Writes {@code o} and applies what it carries; false when the session should end. */
    private boolean apply(Outgoing o) throws IOException {
        if (o instanceof Line line) {
            write(line.bytes());
        } else if (o instanceof Subscribe sub) {
            write(sub.reply());
            Scheduled existing = schedule.get(sub.id());
            if (existing != null) {
                existing.query = sub.query();
                existing.nextDue = System.nanoTime(); // a changed query shows at once
            } else if (sub.intervalNanos() > 0) {
                schedule.put(sub.id(), new Scheduled(sub.id(), sub.query(), sub.intervalNanos(), System.nanoTime()));
            }
        } else if (o instanceof Unsubscribe unsub) {
            schedule.remove(unsub.id());
            write(unsub.reply());
        } else if (o instanceof CloseAfter end) {
            write(end.bytes());
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
            long missed = (now - s.nextDue) / s.intervalNanos;
            s.nextDue += (missed + 1) * s.intervalNanos;
            byte[] bytes;
            try {
                bytes = WireCodec.encodeLine(service.update(s.id, ++s.seq, missed, s.query));
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
