package io.routerctl.console.render;

import io.routerctl.probes.snapshot.LoopHealth;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TaskGrowth;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskReport;

import java.util.List;
import java.util.Locale;

/**
 * The sentences that state a stuck diagnosis: one per group, a summary line, and the one-line
 * status that {@code demo} prints (and that fits a status bar).
 *
 * <pre>
 * 37 requests waiting on auth (RouterPoints.java:17) after auth-requested; 35 with lost-wakeup:
 *   the completer was dropped without completing; p99 of auth is 2.9ms, oldest wait 12.4s   {@link #sentence}
 * 12 requests on loop-1, which is blocked for 3.2s in ReportRenderer.render(ReportRenderer.java:40)
 *                                                                            {@link #blockedLoop}
 * in flight 41, stuck 12 (showing 12), threshold 5s                          {@link #summary}
 * No stuck tasks (in flight 41, threshold 5s).                               {@link #summary}
 * in flight 41 | stuck 12: 12 waiting on auth after route-resolved (oldest 9.8s)  {@link #statusLine}
 * </pre>
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. No method returns {@code null}.
 */
public final class StuckText {

    /** Groups shown in a {@link #statusLine}; the rest are counted as "+N more". */
    public static final int STATUS_LINE_GROUPS = 2;

    private StuckText() {
    }

    /** The longest wait name the sentence says twice (in {@code p99 of auth}). */
    static final int SHORT_NAME = 24;

    /**
     * The diagnosis of a group: what its tasks wait on and where that wait is declared, the step
     * they passed last, how many of them are proven lost wake-ups, the point's normal p99 (when the
     * target has history for it) and the oldest wait:
     * {@code 37 requests waiting on auth (RouterPoints.java:17) after route-resolved; 35 with
     * lost-wakeup: the completer was dropped without completing; p99 of auth is 3ms, oldest wait 12.4s}.
     * A group not waiting on anything: {@code 3 connections stuck before any step, not waiting on
     * anything known (oldest 2m03s)}.
     */
    public static String sentence(StuckGroup g) {
        StringBuilder s = new StringBuilder()
                .append(g.count()).append(' ').append(plural(g.kind().wireName(), g.count()));
        if (g.kind() == TaskKind.THREAD && g.waitingOn() != null) {
            return threads(s, g);
        }
        if (g.waitingOn() == null) {
            return s.append(" stuck ").append(afterStep(g.lastStep()))
                    .append(", not waiting on anything known (oldest ").append(Durations.format(g.oldestMs()))
                    .append(')').toString();
        }
        s.append(' ').append(waiting(g.waitingOn()));
        if (g.waitingAt() != null && !names(g.waitingOn(), g.waitingAt())) {
            s.append(" (").append(g.waitingAt()).append(')');
        }
        if (!saidBy(g.waitingOn(), g.lastStep())) {
            s.append(' ').append(afterStep(g.lastStep()));
        }
        if (g.lostWakeups() > 0) {
            s.append("; ").append(g.lostWakeups())
                    .append(" with lost-wakeup: the completer was dropped without completing");
        }
        s.append("; ");
        if (g.waitP99Ms() != null) {
            // A long name (a learned site) was said once already.
            s.append(g.waitingOn().length() <= SHORT_NAME ? "p99 of " + g.waitingOn() : "its usual p99")
                    .append(" is ").append(formatP99(g.waitP99Ms())).append(", ");
        }
        return s.append("oldest wait ").append(Durations.format(g.oldestMs())).toString();
    }

    /**
     * Whether a wait's name already says where it is: it holds the location ({@code
     * AuthAdapter.java:31} in {@code CompletableFuture from AuthAdapter.check(AuthAdapter.java:31)}),
     * or the location is a class whose simple name it holds ({@code com.example.TicketHandler} in
     * {@code after TicketHandler (ticket)}). The sentence then does not say it twice.
     */
    static boolean names(String waitingOn, String waitingAt) {
        if (waitingOn.contains(waitingAt)) {
            return true;
        }
        if (waitingAt.contains(":") || waitingAt.contains("(")) {
            return false;
        }
        String simple = waitingAt.substring(waitingAt.lastIndexOf('.') + 1);
        int nested = simple.lastIndexOf('$');
        simple = nested >= 0 ? simple.substring(nested + 1) : simple;
        return !simple.isEmpty() && java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(simple) + "\\b")
                .matcher(waitingOn).find();
    }

    /**
     * A blocked event loop and the stuck tasks on it:
     * {@code 12 requests on loop-1, which is blocked for 3.2s in ReportRenderer.render(ReportRenderer.java:40)};
     * without stuck tasks on it, {@code loop-1 is blocked for 3.2s in ...}.
     *
     * @param stuckOnLoop stuck tasks listed on that loop (0 for none)
     * @param kind        their kind, for the plural ({@code request}); may be null
     */
    public static String blockedLoop(String loop, LoopHealth health, int stuckOnLoop, String kind) {
        String where = blockedIn(health.blockedStack());
        String state = "blocked for " + Durations.format(health.blockedForMs()) + (where == null ? "" : " in " + where);
        if (stuckOnLoop == 0) {
            return loop + " is " + state;
        }
        return stuckOnLoop + " " + plural(kind, stuckOnLoop) + " on " + loop + ", which is " + state;
    }

    /**
     * The frame a blocked loop is stuck in, as {@code Class.method(File.java:40)}: the top frame
     * that is neither the JDK's nor a park/sleep primitive; null if the stack is empty.
     */
    public static String blockedIn(List<String> stack) {
        for (String frame : stack) {
            if (!(frame.startsWith("java.") || frame.startsWith("jdk.") || frame.startsWith("sun."))) {
                return shortFrame(frame);
            }
        }
        return stack.isEmpty() ? null : shortFrame(stack.get(0));
    }

    /** {@code io.x.ReportRenderer.render(ReportRenderer.java:40)} -> {@code ReportRenderer.render(ReportRenderer.java:40)}. */
    private static String shortFrame(String frame) {
        int paren = frame.indexOf('(');
        String method = paren < 0 ? frame : frame.substring(0, paren);
        int methodDot = method.lastIndexOf('.');
        int classDot = methodDot < 0 ? -1 : method.lastIndexOf('.', methodDot - 1);
        return classDot < 0 ? frame : frame.substring(classDot + 1);
    }

    private static String formatP99(double ms) {
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.1fms", ms);
        }
        return Durations.format(Math.round(ms));
    }

    /** Why a parked thread's lost wake-up is not proven, in the words of a group line. */
    static final String THREAD_UNPROVABLE = "a GC cannot prove them lost (a parked thread's stack holds its future, "
            + "its executor the thread)";

    /**
     * Threads a request handed its work to, parked:
     * {@code 141 threads parked in CompletableFuture.get at BarsHandler.serve(BarsHandler.java:42);
     * 141 orphaned: their requests ended, the threads live on; a GC cannot prove them lost (...);
     * oldest wait 12.4s}.
     */
    private static String threads(StringBuilder s, StuckGroup g) {
        s.append(" parked in ").append(g.waitingOn());
        if (g.waitingAt() != null) {
            s.append(" at ").append(g.waitingAt());
        }
        if (g.orphans() > 0) {
            s.append("; ").append(g.orphans() == g.count() ? "all" : g.orphans())
                    .append(" orphaned: their requests ended, the threads live on");
        }
        return s.append("; ").append(THREAD_UNPROVABLE).append("; oldest wait ")
                .append(Durations.format(g.oldestMs())).toString();
    }

    /** {@code 12 waiting on auth after route-resolved (oldest 9.8s)}: a group in few words. */
    public static String compact(StuckGroup g) {
        StringBuilder s = new StringBuilder().append(g.count()).append(' ');
        if (g.kind() == TaskKind.THREAD && g.waitingOn() != null) {
            s.append("parked in ").append(g.waitingOn()).append(g.orphans() > 0 ? ", " + g.orphans() + " orphaned" : "");
        } else if (g.waitingOn() != null) {
            s.append(waiting(g.waitingOn()));
        } else {
            s.append(plural(g.kind().wireName(), g.count()));
        }
        if (g.kind() != TaskKind.THREAD && !saidBy(g.waitingOn(), g.lastStep())) {
            s.append(' ').append(afterStep(g.lastStep()));
        }
        return s.append(" (oldest ").append(Durations.format(g.oldestMs())).append(')').toString();
    }

    /**
     * {@code waiting on auth}, or for a wait named by where the task stopped rather than on what
     * ({@code after TicketHandler (ticket)}: the handler returned without answering),
     * {@code waiting after TicketHandler (ticket)}.
     */
    public static String waiting(String waitingOn) {
        return waitingOn.startsWith("after ") ? "waiting " + waitingOn : "waiting on " + waitingOn;
    }

    /**
     * Whether a wait's name already says the task's last step: {@code after TicketHandler (ticket)}
     * with last step {@code TicketHandler (ticket) returned} would read "after X after X returned".
     */
    public static boolean saidBy(String waitingOn, String lastStep) {
        return waitingOn != null && lastStep != null && waitingOn.startsWith("after ")
                && lastStep.equals(waitingOn.substring("after ".length()) + " returned");
    }

    /**
     * The closing line of a dump: {@code in flight 41, stuck 12 (showing 12), threshold 5s}, saying
     * so when {@code limit} cut the list; or {@code No stuck tasks (in flight 41, threshold 5s).}
     */
    public static String summary(TaskReport report, long thresholdMs, int limit) {
        String threshold = Durations.format(thresholdMs);
        if (report.stuck() == 0 && report.tasks().isEmpty()) {
            return "No stuck tasks (in flight " + report.inFlight() + ", threshold " + threshold + ")."
                    + (report.growth() == null ? "" : " But " + growth(report.growth()) + ".");
        }
        int shown = report.tasks().size();
        StringBuilder s = new StringBuilder()
                .append("in flight ").append(report.inFlight())
                .append(", stuck ").append(report.stuck())
                .append(" (showing ").append(shown);
        if (shown < report.matched()) {
            s.append("; --limit ").append(limit).append(" cut ").append(report.matched() - shown).append(" more");
        }
        s.append("), threshold ").append(threshold);
        if (report.refused() > 0) {
            s.append("; ").append(report.refused()).append(" registrations refused (registry full)");
        }
        if (report.growth() != null) {
            s.append("; ").append(growth(report.growth()));
        }
        return s.toString();
    }

    /** {@code live tasks only grew for 5m: 1200 -> 48000 (a leak: tasks that never finish?)}. */
    public static String growth(TaskGrowth g) {
        return "live tasks only grew for " + Durations.format(g.overMs()) + ": " + g.fromTasks() + " -> " + g.toTasks()
                + " (a leak: tasks that never finish?)";
    }

    /**
     * One line of what is going on: {@code in flight 41 | stuck 12: 12 waiting on auth after
     * route-resolved (oldest 9.8s)}; at most {@value #STATUS_LINE_GROUPS} groups, then {@code +N more}.
     */
    public static String statusLine(TaskReport report) {
        StringBuilder s = new StringBuilder()
                .append("in flight ").append(report.inFlight())
                .append(" | stuck ").append(report.stuck());
        List<StuckGroup> groups = report.groups();
        if (!groups.isEmpty()) {
            s.append(": ");
            int shown = Math.min(STATUS_LINE_GROUPS, groups.size());
            for (int i = 0; i < shown; i++) {
                if (i > 0) {
                    s.append("; ");
                }
                s.append(compact(groups.get(i)));
            }
            if (groups.size() > shown) {
                s.append("; +").append(groups.size() - shown).append(" more groups");
            }
        }
        return s.toString();
    }

    private static String afterStep(String lastStep) {
        return lastStep == null ? "before any step" : "after " + lastStep;
    }

    /** {@code request} -> {@code requests} when {@code count != 1}; an unknown kind reads as tasks. */
    static String plural(String kind, int count) {
        String k = kind == null || kind.isEmpty() ? "task" : kind.toLowerCase(Locale.ROOT);
        return count == 1 ? k : k + "s";
    }
}
