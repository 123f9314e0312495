package io.routerctl.probes.attach;

import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.query.CompiledQuery;
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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * What a target answers: the one-shot operations and the content of subscription updates, read
 * from the registry (and the loops source) on the calling attach thread. Never touches an event
 * loop: every read is a registry read, which never blocks a writer.
 *
 * <h2>What an answer may cost the service</h2>
 * Every read that walks the registry ({@code query}, {@code task}, {@code loops}, each update)
 * takes a {@linkplain Turns turn}: one at a time across all clients, each within a budget, costly
 * ones behind ordinary ones. A request that cannot get a turn within its budget, or runs out of
 * it, is answered {@code over_budget}; the connection stays open.
 *
 * <h2>Thread safety</h2>
 * Safe from every attach thread at once; the turns are the only shared state.
 */
final class TargetService {

    private final Turns turns = new Turns();
    private final GcCoordinator gc;

    /** The most siblings or children a {@code task} reply lists. */
    static final int MAX_RELATIVES = 1_000;

    private final TaskRegistry registry;
    private final String name;
    private final LongFunction<List<LoopSnapshot>> loops;
    private final Supplier<String> integration;
    private final Function<Long, String> detacher;
    private final long pid = ProcessHandle.current().pid();
    /** From the OS process table; cheaper than loading java.management for one number. */
    private final long startedAtEpochMs = ProcessHandle.current().info().startInstant()
            .map(java.time.Instant::toEpochMilli).orElseGet(System::currentTimeMillis);

    TargetService(TaskRegistry registry, String name, LongFunction<List<LoopSnapshot>> loops,
                  Supplier<String> integration, Function<Long, String> detacher) {
        this.registry = registry;
        this.name = name;
        this.integration = integration;
        this.detacher = detacher;
        this.loops = loops;
        this.gc = new GcCoordinator(registry, GC_TIMEOUT);
    }

    TargetInfo target() {
        long now = System.currentTimeMillis();
        return new TargetInfo(pid, name, startedAtEpochMs, Math.max(0, now - startedAtEpochMs),
                registry.shards().size(), WireMessage.VERSION, System.getProperty("java.version"), detectors(),
                InternalErrors.count(), integration.get());
    }

    /** The loops at {@code olderThanMs}: the registry's, by the adaptive rule too when asked, or the runtime's own source. */
    List<LoopSnapshot> loops(long olderThanMs, boolean adaptive) {
        List<LoopSnapshot> l = loops != null ? loops.apply(olderThanMs) : registry.loops(olderThanMs, adaptive);
        return l == null ? List.of() : l;
    }

    /**
     * One update of a subscription, in a turn.
     *
     * @throws WireException {@code over_budget} when it could not be had within the budget
     */
    WireMessage.Update update(long subscription, long seq, long dropped, CompiledQuery query, Turns.Caller caller)
            throws WireException {
        return turns.run(caller, query.query().filter(), budget -> new WireMessage.Update(subscription, seq, dropped, target(),
                registry.query(query, budget), loops(query.query().olderThanMs(), query.query().adaptive())));
    }

    /**
     * The result of a one-shot op (not the subscription ops, which the session keeps).
     *
     * @param caller the session asking
     */
    Object answer(WireMessage.Request request, Turns.Caller caller) throws WireException {
        return switch (request.op()) {
            case HELLO -> Map.of("target", target());
            case QUERY -> {
                CompiledQuery compiled = compile(request.query());
                yield turns.run(caller, compiled.query().filter(), budget -> registry.query(compiled, budget));
            }
            case LOOPS -> turns.run(caller, null, budget -> Map.of("loops", loops(request.olderThanMs(),
                    request.adaptiveOrDefault())));
            case TASK -> {
                Optional<TaskFamily> family = turns.run(caller, null,
                        budget -> registry.family(request.task(), request.olderThanMs(), request.adaptiveOrDefault(),
                                MAX_RELATIVES));
                yield family.orElseThrow(() -> new WireException(ErrorCode.NOT_FOUND,
                        "no live task with id " + request.task()));
            }
            case POINTS -> Map.of("points", points());
            case GC -> collect();
            case DETACH -> detach(request.deadlineMs());
            default -> throw new IllegalArgumentException("not a one-shot op: " + request.op().wireName());
        };
    }

    /** {@code query} compiled, or {@code bad_request} (the codec checks the same, so only a bug gets here). */
    static CompiledQuery compile(TaskQuery query) throws WireException {
        try {
            return CompiledQuery.of(query);
        } catch (IllegalArgumentException e) {
            throw new WireException(ErrorCode.BAD_REQUEST, e.getMessage());
        }
    }


    /**
     * Detaches routerctl, where an agent brought it in and said how ({@code detacher}); refused
     * past {@code deadlineMs} (epoch ms, null: none), so that a request read only after the process
     * was stopped and continued is not applied once its client has given up.
     */
    private Map<String, Object> detach(Long deadlineMs) throws WireException {
        if (detacher == null) {
            throw new WireException(ErrorCode.UNSUPPORTED,
                    "routerctl is built into this service, not attached as an agent: there is nothing to detach");
        }
        long late = deadlineMs == null ? 0 : System.currentTimeMillis() - deadlineMs;
        if (late > 0) {
            throw new WireException(ErrorCode.EXPIRED, "the detach request was read " + late
                    + "ms after its deadline (was the process stopped?): not applied");
        }
        return Map.of("detached", detacher.apply(deadlineMs));
    }

    /** Whether this target can be detached (an agent brought routerctl in). */
    boolean detachable() {
        return detacher != null;
    }

    /** How long the {@code gc} op waits for the collected completers to be examined. */
    static final Duration GC_TIMEOUT = Duration.ofSeconds(3);

    int gcCollectionsRun() {
        return gc.collectionsRun();
    }

    private GcResult collect() throws WireException {
        try {
            return gc.collect();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WireException(ErrorCode.INTERNAL, "interrupted while collecting");
        }
    }

    private List<String> detectors() {
        List<String> out = new ArrayList<>(List.of("lost-wakeup", "slow", "orphaned"));
        for (io.routerctl.probes.TaskShard s : registry.shards()) {
            if (s.health() != null) {
                out.add("blocked-loop");
                break;
            }
        }
        return out;
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
