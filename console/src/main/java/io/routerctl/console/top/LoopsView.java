package io.routerctl.console.top;

import com.googlecode.lanterna.graphics.TextGraphics;
import io.routerctl.probes.snapshot.LoopHealth;
import io.routerctl.probes.snapshot.LoopSnapshot;

import java.util.List;

/**
 * The event loops: per loop, the tasks it owns, in flight, stuck, registered since start and per
 * second (STARTED, NEW/S), registrations refused because its shard was full, and what its watchdog knows (heartbeat
 * lag, busy share, blocked and for how long); then the totals, then the stack captured on each loop
 * that is or was blocked. A loop holding stuck tasks or blocked is marked {@code !}.
 *
 * <h2>Thread safety</h2>
 * Stateless; call from the UI thread with a model confined to it.
 */
final class LoopsView {

    private static final String FORMAT = "%s %-8s %5s %9s %5s %9s %6s %7s %5s %5s %s";
    private static final int MAX_STACK_FRAMES = 8;

    private LoopsView() {
    }

    static void draw(TextGraphics g, TopModel model, Theme theme) {
        int width = g.getSize().getColumns();
        int height = g.getSize().getRows();
        theme.plain(g);
        g.fill(' ');
        theme.tableHeader(g);
        g.putString(0, 0, Cells.left(String.format(FORMAT, " ", "LOOP", "TASKS", "IN FLIGHT", "STUCK", "STARTED",
                "NEW/S", "REFUSED", "LAG", "BUSY", "BLOCKED"), width));
        LiveData data = model.shown();
        List<LoopSnapshot> loops = model.loops();
        if (loops.isEmpty()) {
            theme.label(g);
            g.putString(2, 1, Cells.cut(data == null ? "waiting for the first update..." : "no event loops reported",
                    width - 2));
            return;
        }
        int row = 1;
        int tasks = 0;
        int inFlight = 0;
        int stuck = 0;
        long registered = 0;
        long refused = 0;
        for (int i = 0; i < loops.size(); i++) {
            LoopSnapshot loop = loops.get(i);
            tasks += loop.tasks();
            inFlight += loop.inFlight();
            stuck += loop.stuck();
            registered += loop.registered();
            refused += loop.refused();
            if (i < model.loopsScroll() || row >= height - 2) {
                continue;
            }
            boolean alarming = loop.stuck() > 0 || loop.refused() > 0 || blocked(loop);
            if (alarming) {
                theme.stuck(g);
            } else {
                theme.plain(g);
            }
            g.putString(0, row++, Cells.left(String.format(FORMAT, alarming ? "!" : " ", loop.name(),
                    TimeText.count(loop.tasks()), TimeText.count(loop.inFlight()), TimeText.count(loop.stuck()),
                    TimeText.count(loop.registered()), rate(data.loopRate(loop.name())), TimeText.count(loop.refused()),
                    lag(loop.health()), busy(loop.health()), blockedText(loop.health())), width));
        }
        theme.title(g);
        g.putString(0, row++, Cells.left(String.format(FORMAT, stuck > 0 ? "!" : " ", "all " + loops.size(),
                TimeText.count(tasks), TimeText.count(inFlight), TimeText.count(stuck), TimeText.count(registered),
                rate(data.tasksPerSecond()), TimeText.count(refused), "", "", ""), width));
        row++;
        for (LoopSnapshot loop : loops) {
            LoopHealth h = loop.health();
            if (h == null || h.blockedStack().isEmpty() || row >= height) {
                continue;
            }
            theme.warning(g);
            g.putString(0, row++, Cells.cut(loop.name() + (h.blocked() ? " is blocked for " + TimeText.duration(h.blockedForMs())
                    : " was blocked") + " (" + h.episodes() + " episodes since start); its stack:", width));
            theme.plain(g);
            for (int f = 0; f < h.blockedStack().size() && f < MAX_STACK_FRAMES && row < height; f++) {
                g.putString(0, row++, Cells.cut("    at " + h.blockedStack().get(f), width));
            }
        }
    }

    private static boolean blocked(LoopSnapshot loop) {
        return loop.health() != null && loop.health().blocked();
    }

    private static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "-" : TimeText.rate(perSecond);
    }

    private static String lag(LoopHealth h) {
        return h == null ? "-" : TimeText.duration(Math.round(h.lagMs()));
    }

    private static String busy(LoopHealth h) {
        return h == null || h.busyPercent() < 0 ? "-" : Math.round(h.busyPercent()) + "%";
    }

    private static String blockedText(LoopHealth h) {
        if (h == null) {
            return "-";
        }
        if (h.blocked()) {
            return "yes " + TimeText.duration(h.blockedForMs());
        }
        return h.episodes() > 0 ? "no (" + h.episodes() + " before)" : "no";
    }
}
