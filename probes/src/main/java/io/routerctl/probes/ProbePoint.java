package io.routerctl.probes;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A named point in the code that tasks pass ({@link Kind#STEP}) or wait on ({@link Kind#AWAIT}).
 *
 * <p>Declare each probe point once, as a constant; the declaration records where in the code it
 * stands, so recording a step later costs a couple of stores, not a string or a stack trace:
 *
 * <pre>{@code
 * static final ProbePoint ROUTE_RESOLVED = ProbePoint.step("route-resolved");
 * static final ProbePoint AUTH = ProbePoint.await("auth");
 * ...
 * shard.step(request, ROUTE_RESOLVED);
 * shard.await(request, AUTH);
 * }</pre>
 *
 * <p>Declaring the same name and kind twice returns the first point, so a name means one thing in
 * a process. At most {@value #MAX_POINTS} points can be declared.
 *
 * <h2>Thread safety</h2>
 * Instances are immutable. Declaration is synchronized and happens once per constant, off the hot
 * path; {@link #byId(int)} is safe from any thread.
 */
public final class ProbePoint {

    /** Whether a task passes this point or waits on it. */
    public enum Kind { STEP, AWAIT }

    /** The most probe points a process can declare (ids fit in 16 bits). */
    public static final int MAX_POINTS = 0xFFFF;

    private static final Object LOCK = new Object();
    private static volatile ProbePoint[] points = new ProbePoint[0];

    private final int id;
    private final String name;
    private final Kind kind;
    private final String location;

    private ProbePoint(int id, String name, Kind kind, String location) {
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.location = location;
    }

    /** Declares a step named {@code name} at the caller's code location. */
    public static ProbePoint step(String name) {
        return declare(name, Kind.STEP, callerLocation());
    }

    /** Declares a wait point named {@code name} at the caller's code location. */
    public static ProbePoint await(String name) {
        return declare(name, Kind.AWAIT, callerLocation());
    }

    /**
     * Declares a probe point with an explicit location, for code that declares points on behalf of
     * others (adapters). {@code location} is shown as is, e.g. {@code LegacyAuthAdapter.java:41}.
     */
    public static ProbePoint declare(String name, Kind kind, String location) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        if (name == null || name.isBlank() || name.length() > 64 || !name.matches("[A-Za-z0-9_.:/-]+")) {
            throw new IllegalArgumentException(
                    "probe point name must be 1-64 characters of letters, digits and _.:/-, got: " + name);
        }
        return intern(name, kind, location);
    }

    /**
     * A point the tool names from what it observes in code it did not write, e.g.
     * {@code TicketHandler (ticket) returned} or {@code CompletableFuture from TicketHandler
     * (ticket)}: any printable text up to 120 characters. Interned like the others; callers keep a
     * small cache, since the names come from a bounded set (handler classes and names).
     *
     * @throws IllegalStateException past {@value #MAX_POINTS} points
     */
    public static ProbePoint observed(String name, Kind kind, String location) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        if (name == null || name.isBlank() || name.length() > 120 || !name.codePoints().allMatch(c -> c >= 0x20
                && c != 0x7F && !(c >= 0x80 && c < 0xA0))) {
            throw new IllegalArgumentException("an observed point's name must be 1-120 printable characters, got: "
                    + name);
        }
        return intern(name, kind, location);
    }

    private static ProbePoint intern(String name, Kind kind, String location) {
        synchronized (LOCK) {
            ProbePoint[] current = points;
            for (ProbePoint p : current) {
                if (p.name.equals(name) && p.kind == kind) {
                    return p;
                }
            }
            if (current.length >= MAX_POINTS) {
                throw new IllegalStateException("more than " + MAX_POINTS + " probe points declared");
            }
            ProbePoint p = new ProbePoint(current.length + 1, name, kind, location);
            ProbePoint[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = p;
            points = next;
            return p;
        }
    }

    /** The point with this id, or {@code null} if none (id 0 means "no point"). */
    public static ProbePoint byId(int id) {
        ProbePoint[] current = points;
        return id >= 1 && id <= current.length ? current[id - 1] : null;
    }

    /** Every point declared so far, in declaration order. */
    public static List<ProbePoint> all() {
        return List.of(points);
    }

    private static String callerLocation() {
        return StackWalker.getInstance()
                .walk(frames -> frames
                        .filter(f -> !f.getClassName().equals(ProbePoint.class.getName()))
                        .findFirst()
                        .map(f -> (f.getFileName() == null ? f.getClassName() : f.getFileName())
                                + ":" + f.getLineNumber())
                        .orElse("unknown"));
    }

    /** A small positive number, unique in this process; 0 is never used. */
    public int id() {
        return id;
    }

    /** The name shown to users, e.g. {@code route-resolved}. */
    public String name() {
        return name;
    }

    /** Whether tasks pass or wait on this point. */
    public Kind kind() {
        return kind;
    }

    /** Where the point was declared, e.g. {@code LegacyAuthAdapter.java:41}. */
    public String location() {
        return location;
    }

    @Override
    public String toString() {
        return name + " (" + location + ")";
    }
}
