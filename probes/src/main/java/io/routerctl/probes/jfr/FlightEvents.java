package io.routerctl.probes.jfr;

import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.snapshot.TaskCensus;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.util.List;
import java.util.function.Supplier;

/**
 * routerctl's findings as JFR events, next to everything else a recording holds: a proven lost
 * wake-up ({@value LostWakeupEvent#NAME}), a blocked event loop with its stack
 * ({@value BlockedLoopEvent#NAME}) and a periodic stuck summary ({@value StuckTasksEvent#NAME}).
 * All three are off by default: a recording turns them on (for example with the {@code .jfc} file
 * in {@code docs/jfr/routerctl.jfc}, or {@code +routerctl.LostWakeup#enabled=true}).
 *
 * <h2>Cost</h2>
 * Nothing on the service's threads. The detector and watchdog threads ask whether their event is
 * enabled (a field read) before building one; the periodic summary's hook runs on JFR's periodic
 * thread only while a recording enables it, and then counts the live tasks once per period
 * ({@code TaskRegistry.census}). A process that never starts a recording never initializes JFR
 * for routerctl: the summary registers once a recorder runs (checked every second on the probes'
 * housekeeping thread), and the other two events are not built before. Without the {@code jdk.jfr} module (a trimmed runtime) every method here does
 * nothing.
 *
 * <h2>Thread safety</h2>
 * Every method is safe from any thread.
 */
public final class FlightEvents {

    /** The stuck threshold of the periodic summary, as {@code dump-stuck}'s default. */
    static final long SUMMARY_OLDER_THAN_MS = io.routerctl.probes.snapshot.TaskQuery.DEFAULT_OLDER_THAN_MS;

    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();
    private static volatile boolean registered;
    /** The periodic hook, kept to remove it again ({@link #close()}). */
    private static Runnable summaryHook;

    private FlightEvents() {
    }

    /**
     * Registers the periodic summary with JFR once the flight recorder runs: each period,
     * {@code censuses} (the live registries counted at {@value #SUMMARY_OLDER_THAN_MS} ms, adaptive
     * rule on) become events. Returns true once registered (or when there is no JFR, so nothing is
     * left to do), false while no recorder runs yet: the caller asks again later. Registering
     * initializes JFR's metadata (about 150 ms and 300 classes here), which a process that never
     * records must not pay, so a process without a recording never registers.
     */
    public static boolean registerIfRecording(Supplier<List<TaskCensus>> censuses) {
        if (registered || !AVAILABLE) {
            return true;
        }
        if (!jdk.jfr.FlightRecorder.isInitialized()) {
            return false;
        }
        synchronized (FlightEvents.class) {
            if (!registered) {
                registered = true;
                try {
                    Runnable hook = () -> emitSummary(censuses);
                    jdk.jfr.FlightRecorder.addPeriodicEvent(StuckTasksEvent.class, hook);
                    summaryHook = hook;
                } catch (RuntimeException | LinkageError e) {
                    // JFR refused (disabled in this JVM, or a security manager): no periodic summary.
                    InternalErrors.record("jfr", e);
                }
            }
        }
        return true;
    }

    /**
     * Takes routerctl's events out of JFR again (the periodic summary's hook, and the event classes
     * JFR registered), so that a detached agent's classes are no longer reachable from the flight
     * recorder. Recordings keep the events already written. Any thread; idempotent.
     */
    public static void close() {
        if (!AVAILABLE) {
            return;
        }
        synchronized (FlightEvents.class) {
            Runnable hook = summaryHook;
            summaryHook = null;
            registered = false;
            if (!jdk.jfr.FlightRecorder.isInitialized()) {
                return;
            }
            try {
                if (hook != null) {
                    jdk.jfr.FlightRecorder.removePeriodicEvent(hook);
                }
                for (Class<? extends jdk.jfr.Event> c : List.of(StuckTasksEvent.class, LostWakeupEvent.class,
                        BlockedLoopEvent.class)) {
                    jdk.jfr.FlightRecorder.unregister(c);
                }
            } catch (RuntimeException | LinkageError e) {
                InternalErrors.record("jfr", e);
            }
        }
    }

    /** Whether a recorder runs: until one does, no event of ours is even built. */
    private static boolean recording() {
        return AVAILABLE && jdk.jfr.FlightRecorder.isInitialized();
    }

    /** Whether a recording wants lost wake-ups now: ask before gathering what the event needs. */
    public static boolean lostWakeupWanted() {
        return recording() && new LostWakeupEvent().isEnabled();
    }

    /**
     * Commits a lost wake-up of {@code task} (null when the task is already gone) waiting on
     * {@code point}.
     */
    public static void lostWakeup(String point, String location, TaskSnapshot task) {
        if (!recording()) {
            return;
        }
        LostWakeupEvent e = new LostWakeupEvent();
        if (!e.isEnabled()) {
            return;
        }
        e.point = point;
        e.codeLocation = location;
        if (task != null) {
            e.kind = task.kind().wireName();
            e.taskId = task.id();
            e.remote = task.remote();
            e.lastStep = task.lastStep();
            e.loop = task.loop();
            e.waited = task.waitingMs() == null ? 0 : task.waitingMs();
            e.age = task.ageMs();
            if (e.codeLocation == null) {
                e.codeLocation = task.waitingAt();
            }
        }
        e.commit();
    }

    /**
     * Commits a blocked-loop episode of {@code loop}, whose thread {@code thread} has held it for
     * {@code blockedForMs}, with its stack (innermost frame first).
     */
    public static void blockedLoop(String loop, String thread, long blockedForMs, List<String> stack) {
        if (!recording()) {
            return;
        }
        BlockedLoopEvent e = new BlockedLoopEvent();
        if (!e.isEnabled()) {
            return;
        }
        e.loop = loop;
        e.thread = thread;
        e.blockedFor = blockedForMs;
        e.blockedIn = blockedIn(stack);
        e.stack = String.join("\n", stack);
        e.commit();
    }

    /** The innermost frame outside the JDK and Netty, else the innermost frame, else null. */
    static String blockedIn(List<String> stack) {
        for (String frame : stack) {
            if (!(frame.startsWith("java.") || frame.startsWith("jdk.") || frame.startsWith("sun.")
                    || frame.startsWith("io.netty."))) {
                return frame;
            }
        }
        return stack.isEmpty() ? null : stack.get(0);
    }

    /** JFR's periodic thread: one summary event per kind and point with stuck tasks, per registry. */
    private static void emitSummary(Supplier<List<TaskCensus>> censuses) {
        try {
            for (TaskCensus census : censuses.get()) {
                int inFlight = census.inFlight().values().stream().mapToInt(Integer::intValue).sum();
                if (census.stuck().isEmpty()) {
                    StuckTasksEvent e = new StuckTasksEvent();
                    e.inFlight = inFlight;
                    e.commit();
                    continue;
                }
                for (TaskCensus.Point p : census.stuck()) {
                    StuckTasksEvent e = new StuckTasksEvent();
                    e.kind = p.kind().wireName();
                    e.point = p.point();
                    e.codeLocation = p.location();
                    e.stuck = p.count();
                    e.lostWakeups = p.lostWakeups();
                    e.oldest = p.oldestMs();
                    e.oldestRemote = p.oldestRemote();
                    e.oldestTaskId = p.oldestId();
                    e.inFlight = inFlight;
                    e.commit();
                }
            }
        } catch (RuntimeException | Error e) {
            InternalErrors.record("jfr", e);
        }
    }
}
