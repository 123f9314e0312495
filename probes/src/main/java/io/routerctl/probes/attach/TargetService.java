package io.routerctl.probes.attach;

import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.wire.ErrorCode;
import io.routerctl.probes.wire.Op;
import io.routerctl.probes.wire.WireCodec;
import io.routerctl.probes.wire.WireException;
import io.routerctl.probes.wire.WireMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * What a target answers: the one-shot operations and the content of subscription updates, read
 * from the registry (and the loops source) on the calling attach thread. Never touches an event
 * loop: every read is a registry read, which never blocks a writer.
 *
 * <h2>Thread safety</h2>
 * Immutable after construction; safe from every attach thread at once.
 */
final class TargetService {

    /** The most siblings or children a {@code task} reply lists. */
    static final int MAX_RELATIVES = 1_000;

    private final TaskRegistry registry;
    private final String name;
    private final LongFunction<List<LoopSnapshot>> loops;
    private final long pid = ProcessHandle.current().pid();
    /** From the OS process table; cheaper than loading java.management for one number. */
    private final long startedAtEpochMs = ProcessHandle.current().info().startInstant()
            .map(java.time.Instant::toEpochMilli).orElseGet(System::currentTimeMillis);

    TargetService(TaskRegistry registry, String name, LongFunction<List<LoopSnapshot>> loops) {
        this.registry = registry;
        this.name = name;
        this.loops = loops != null ? loops : registry::loops;
    }

    TargetInfo target() {
        long now = System.currentTimeMillis();
        return new TargetInfo(pid, name, startedAtEpochMs, Math.max(0, now - startedAtEpochMs),
                registry.shards().size(), WireMessage.VERSION, System.getProperty("java.version"), detectors());
    }

    List<LoopSnapshot> loops(long olderThanMs) {
        List<LoopSnapshot> l = loops.apply(olderThanMs);
        return l == null ? List.of() : l;
    }

    WireMessage.Update update(long subscription, long seq, long dropped, TaskQuery query) {
        return new WireMessage.Update(subscription, seq, dropped, target(), registry.query(query),
                loops(query.olderThanMs()));
    }

    /** The result of a one-shot op (not the subscription ops, which the session keeps). */
    Object answer(WireMessage.Request request) throws WireException {
        return switch (request.op()) {
            case HELLO -> Map.of("target", target());
            case QUERY -> registry.query(request.query());
            case LOOPS -> Map.of("loops", loops(request.olderThanMs()));
            case TASK -> family(request.task(), request.olderThanMs());
            case POINTS -> Map.of("points", points());
            case GC -> collect();
            default -> throw new IllegalArgumentException("not a one-shot op: " + request.op().wireName());
        };
    }

    /** How long the {@code gc} op waits for the collected completers to be examined. */
    static final java.time.Duration GC_TIMEOUT = java.time.Duration.ofSeconds(3);

    private GcResult collect() {
        long start = System.nanoTime();
        long found = registry.collectLostWakeups(GC_TIMEOUT);
        return new GcResult(found, registry.lostWakeupsFound(), (System.nanoTime() - start) / 1_000_000L);
    }

    private List<String> detectors() {
        List<String> out = new ArrayList<>(List.of("lost-wakeup", "slow"));
        for (io.routerctl.probes.TaskShard s : registry.shards()) {
            if (s.health() != null) {
                out.add("blocked-loop");
                break;
            }
        }
        return out;
    }

    private TaskFamily family(long id, long olderThanMs) throws WireException {
        return registry.family(id, olderThanMs, MAX_RELATIVES)
                .orElseThrow(() -> new WireException(ErrorCode.NOT_FOUND, "no live task with id " + id));
    }

    static List<PointSnapshot> points() {
        List<PointSnapshot> out = new ArrayList<>();
        for (ProbePoint p : ProbePoint.all()) {
            out.add(new PointSnapshot(p.name(), p.kind().name().toLowerCase(Locale.ROOT), p.location()));
        }
        return out;
    }

    static boolean isOneShot(Op op) {
        return op != Op.SUBSCRIBE && op != Op.RESUBSCRIBE && op != Op.UNSUBSCRIBE;
    }
}
