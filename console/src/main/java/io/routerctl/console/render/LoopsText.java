package io.routerctl.console.render;

import io.routerctl.console.render.TextTable.Align;
import io.routerctl.probes.snapshot.LoopHealth;
import io.routerctl.probes.snapshot.LoopSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of {@code routerctl loops}: one row per event loop (tasks, in flight, stuck,
 * registered, refused; and lag, busy, blocked, episodes when the loop is watched), then for each
 * loop with a blocked episode the stack captured in it, innermost frame first, trimmed to the
 * frames that say where it is blocked.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. Never returns {@code null}.
 */
public final class LoopsText {

    /** Frames of the service's own code shown before the outer (framework) frames are cut. */
    static final int OWN_FRAMES = 4;
    /** The most frames shown of one stack. */
    static final int MAX_FRAMES = 14;

    private LoopsText() {
    }

    /** The whole view, every line ending in a newline. */
    public static String render(List<LoopSnapshot> loops, long thresholdMs) {
        boolean watched = loops.stream().anyMatch(l -> l.health() != null);
        TextTable table = new TextTable()
                .column("LOOP", Align.LEFT)
                .column("TASKS", Align.RIGHT)
                .column("IN FLIGHT", Align.RIGHT)
                .column("STUCK", Align.RIGHT)
                .column("REGISTERED", Align.RIGHT)
                .column("REFUSED", Align.RIGHT);
        if (watched) {
            table.column("LAG", Align.RIGHT).column("BUSY", Align.RIGHT).column("BLOCKED", Align.LEFT)
                    .column("EPISODES", Align.RIGHT);
        }
        for (LoopSnapshot l : loops) {
            List<String> cells = new ArrayList<>(List.of(l.name(), Integer.toString(l.tasks()),
                    Integer.toString(l.inFlight()), Integer.toString(l.stuck()), Long.toString(l.registered()),
                    Long.toString(l.refused())));
            if (watched) {
                LoopHealth h = l.health();
                if (h == null) {
                    cells.addAll(List.of("-", "-", "not watched", "-"));
                } else {
                    cells.add(TaskText.millis(h.lagMs()));
                    cells.add(h.busyPercent() < 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", h.busyPercent()));
                    cells.add(h.blocked() ? "BLOCKED " + Durations.format(h.blockedForMs()) : "no");
                    cells.add(Long.toString(h.episodes()));
                }
            }
            table.row(cells.toArray(new String[0]));
        }
        StringBuilder out = new StringBuilder(table.render());
        for (LoopSnapshot l : loops) {
            LoopHealth h = l.health();
            if (h == null || h.blockedStack().isEmpty()) {
                continue;
            }
            out.append('\n').append(l.name()).append(h.blocked()
                    ? " is blocked for " + Durations.format(h.blockedForMs()) + "; its thread, innermost frame first:"
                    : " was blocked (last of " + h.episodes() + " episode" + (h.episodes() == 1 ? "" : "s")
                    + "); its thread then, innermost frame first:").append('\n');
            for (String frame : trim(h.blockedStack())) {
                out.append("  ").append(frame).append('\n');
            }
        }
        out.append('\n').append("stuck = no progress for ").append(Durations.format(thresholdMs))
                .append(" (or longer than the wait's adaptive threshold)\n");
        return out.toString();
    }

    /**
     * The interesting part of a stack, innermost first: the JDK frames it is blocked in, then the
     * service's own frames that called them (at most {@value #OWN_FRAMES}), cut at the first
     * framework frame after those (the JDK, Netty, generated lambdas: the loop's machinery); at
     * most {@value #MAX_FRAMES}; then a line counting the frames left out.
     */
    public static List<String> trim(List<String> stack) {
        List<String> out = new ArrayList<>();
        int own = 0;
        int i = 0;
        for (; i < stack.size() && out.size() < MAX_FRAMES && own < OWN_FRAMES; i++) {
            String frame = stack.get(i);
            if (isFramework(frame) && own > 0) {
                break;
            }
            out.add(frame);
            if (!isFramework(frame)) {
                own++;
            }
        }
        if (i < stack.size()) {
            out.add("... " + (stack.size() - i) + " outer frames");
        }
        return out;
    }

    private static boolean isFramework(String frame) {
        return frame.startsWith("java.") || frame.startsWith("jdk.") || frame.startsWith("sun.")
                || frame.startsWith("io.netty.") || frame.startsWith("javax.") || frame.contains("$$Lambda");
    }
}
