package io.routerctl.probes.wire;

import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;

import java.util.List;
import java.util.Objects;

/**
 * One message of protocol version 1, one line on the wire. {@link WireCodec} turns lines into
 * these records and back; the version ({@code "v":1}) is implied by the type, not stored.
 *
 * <pre>
 * server: Hello, then Result | ErrorReply per request, and Update per subscription tick
 * client: Request
 * </pre>
 *
 * <h2>Thread safety</h2>
 * Immutable records; {@link Result#result()} is a tree (or record) the codec built and nobody mutates.
 */
public sealed interface WireMessage {

    /** The protocol version this code speaks. */
    int VERSION = 1;

    /** The first line a server sends: who the target is. */
    record Hello(TargetInfo target) implements WireMessage {
        public Hello {
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * A client's request. Fields an op does not use are {@code null}.
     *
     * @param id           echoed by the reply
     * @param op           the operation
     * @param query        {@code query}, {@code subscribe}, {@code resubscribe}
     * @param olderThanMs  {@code loops}, {@code task}: the stuck threshold
     * @param task         {@code task}: the id of the task asked for
     * @param intervalMs   {@code subscribe}: milliseconds between updates
     * @param subscription {@code resubscribe}, {@code unsubscribe}: which subscription
     * @param deadlineMs   {@code detach}: the last moment (epoch ms) the target may act on it
     * @param adaptive     {@code loops}, {@code task}: whether the adaptive stuck rule applies too
     *                     (null: it does, as before the field was added)
     */
    record Request(long id, Op op, TaskQuery query, Long olderThanMs, Long task, Long intervalMs,
                   Long subscription, Long deadlineMs, Boolean adaptive) implements WireMessage {
        public Request {
            Objects.requireNonNull(op, "op");
        }

        /** A request without a deadline or an adaptive flag. */
        public Request(long id, Op op, TaskQuery query, Long olderThanMs, Long task, Long intervalMs,
                       Long subscription) {
            this(id, op, query, olderThanMs, task, intervalMs, subscription, null, null);
        }

        /** Whether the adaptive stuck rule applies ({@code loops}, {@code task}); true when not said. */
        public boolean adaptiveOrDefault() {
            return adaptive == null || adaptive;
        }

        /** A request carrying no fields but its op. */
        public static Request of(long id, Op op) {
            return new Request(id, op, null, null, null, null, null);
        }
    }

    /**
     * A successful reply: {@code result} is the op's result object (see docs/protocol.md): a tree
     * as {@link io.routerctl.probes.wire.json.Json} reads it, or, when encoding, anything it writes
     * (a record, a map).
     */
    record Result(long id, Op op, Object result) implements WireMessage {
        public Result {
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * An error reply. {@code id} is {@code null} when the request could not be read far enough to
     * have one, and for the connection-level errors {@code busy}, {@code forbidden}, {@code too_large}.
     */
    record ErrorReply(Long id, ErrorCode code, String message) implements WireMessage {
        public ErrorReply {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * One tick of a subscription.
     *
     * @param dropped updates skipped since the previous one because the client had not read it
     */
    record Update(long subscription, long seq, long dropped, TargetInfo target, TaskReport report,
                  List<LoopSnapshot> loops) implements WireMessage {
        public Update {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(report, "report");
            loops = loops == null ? List.of() : List.copyOf(loops);
        }
    }
}
