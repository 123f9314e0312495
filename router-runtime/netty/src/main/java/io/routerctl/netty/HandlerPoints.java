package io.routerctl.netty;

import io.routerctl.probes.ProbePoint;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The probe points named after one application handler in one pipeline position, e.g. for
 * {@code TicketHandler} added as {@code "ticket"}: the step {@code TicketHandler (ticket)} (it was
 * called), {@code TicketHandler (ticket) returned}, {@code TicketHandler (ticket) threw}, and the
 * waits {@code after TicketHandler (ticket)} (the request waits on something the agent cannot see)
 * {@code future from TicketHandler (ticket)} (on a future created while it ran, until the
 * future's code site is learned: {@link LearnedSite}) and {@code thread from TicketHandler (ticket)}
 * (on a thread it started, a virtual thread the request was handed to).
 *
 * <h2>Allocation and threads</h2>
 * Created once per (handler class, pipeline name), on whichever loop meets the pair first, with
 * its learned sites ({@value Dispatch#SHAPES} kinds of dispatch by {@value Dispatch#MAX_FUTURES}), and
 * cached for good in a map of this class (never in a {@code ClassValue}, whose entries live in the
 * service's classes and would keep a detached agent's classes reachable); a lookup allocates
 * nothing. Any thread.
 */
final class HandlerPoints {

    /** By handler class, then pipeline name. A map owned here, not a ClassValue stored in the service's classes. */
    private static final ConcurrentHashMap<Class<?>, ConcurrentHashMap<String, HandlerPoints>> BY_CLASS =
            new ConcurrentHashMap<>();
    /** Handler classes remembered at most; past it a handler's points are made anew each time (never in practice). */
    static final int MAX_CLASSES = 4096;

    /** A framework's handler (Reactor Netty's, Vert.x's, gRPC's, Spring's), not the application's own. */
    final boolean framework;
    final ProbePoint called;
    final ProbePoint returned;
    final ProbePoint threw;
    final ProbePoint after;
    final ProbePoint future;
    /** The request waits on a thread started while it ran ({@code thread from TicketHandler (ticket)}). */
    final ProbePoint thread;
    /** The code site of the n-th future created while it runs, learned once (see {@link LearnedSite}). */
    private final LearnedSite[][] sites = new LearnedSite[Dispatch.SHAPES][Dispatch.MAX_FUTURES];

    private HandlerPoints(Class<?> type, String name) {
        String label = simpleName(type) + " (" + clip(name, 40) + ")";
        String where = type.getName();
        framework = where.startsWith("reactor.") || where.startsWith("io.vertx.") || where.startsWith("io.grpc.")
                || where.startsWith("org.springframework.") || where.contains("io.netty.");
        called = ProbePoint.observed(label, ProbePoint.Kind.STEP, where);
        returned = ProbePoint.observed(label + " returned", ProbePoint.Kind.STEP, where);
        threw = ProbePoint.observed(label + " threw", ProbePoint.Kind.STEP, where);
        after = ProbePoint.observed("after " + label, ProbePoint.Kind.AWAIT, where);
        future = ProbePoint.observed("future from " + label, ProbePoint.Kind.AWAIT, where);
        GENERIC.add(future);
        thread = ProbePoint.observed("thread from " + label, ProbePoint.Kind.AWAIT, where);
        for (LearnedSite[] kind : sites) {
            for (int i = 0; i < kind.length; i++) {
                kind[i] = new LearnedSite(future);
            }
        }
    }

    /** The handlers' {@link #future} points: a future known only by the handler it was made under. */
    private static final java.util.Set<ProbePoint> GENERIC = ConcurrentHashMap.newKeySet();

    /** Counts {@code p} among the points that name no place in the application's code ({@link #isGeneric}). */
    static void generic(ProbePoint p) {
        GENERIC.add(p);
    }

    /**
     * Whether a future's point names no place in the application's code (a framework's own future,
     * made with no application frame on the stack, or one whose site could not be learned).
     */
    static boolean isGeneric(ProbePoint p) {
        return p == null || p == ConnectionTracker.FUTURE || GENERIC.contains(p);
    }

    /**
     * Where the {@code ordinal}-th future created while this handler runs in a dispatch of kind
     * {@code shape} ({@link Dispatch#shape}) waits: its learned code site.
     */
    ProbePoint site(int shape, int ordinal, Object created) {
        return ordinal < Dispatch.MAX_FUTURES ? sites[shape][ordinal].point(created) : future;
    }

    /** The points of {@code type} added under {@code name}. */
    static HandlerPoints of(Class<?> type, String name) {
        ConcurrentHashMap<String, HandlerPoints> byName = BY_CLASS.get(type);
        if (byName == null) {
            if (BY_CLASS.size() >= MAX_CLASSES) {
                return new HandlerPoints(type, name);
            }
            byName = BY_CLASS.computeIfAbsent(type, t -> new ConcurrentHashMap<>(4));
        }
        HandlerPoints p = byName.get(name);
        if (p == null) {
            p = byName.computeIfAbsent(name, n -> new HandlerPoints(type, n));
        }
        return p;
    }

    /** A class's name as a person reads it: nested and anonymous classes keep their outer name. */
    static String simpleName(Class<?> type) {
        String n = type.getName();
        n = n.substring(n.lastIndexOf('.') + 1);
        return clip(n, 60);
    }

    static String clip(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) ? '?' : c);
        }
        return b.length() == 0 ? "?" : b.toString();
    }
}
