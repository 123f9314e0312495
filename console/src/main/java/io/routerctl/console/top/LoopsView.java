package io.routerctl.console.top;

import com.googlecode.lanterna.graphics.TextGraphics;
import io.routerctl.probes.snapshot.LoopSnapshot;

import java.util.List;

/**
 * The event loops: per loop, the tasks it owns, in flight, stuck, registered since start and per
 * second, and registrations refused because its shard was full; then the totals. A loop holding
 * stuck tasks is marked {@code !}.
 *
 * <h2>Thread safety</h2>
 * Stateless; call from the UI thread with a model confined to it.
 */
final class LoopsView {

    private static final String FORMAT = "%s %-14s %9s %10s %8s %12s %10s %9s";

    private LoopsView() {
    }

    static void draw(TextGraphics g, TopModel model, Theme theme) {
        int width = g.getSize().getColumns();
        int height = g.getSize().getRows();
        theme.plain(g);
        g.fill(' ');
        theme.tableHeader(g);
        g.putString(0, 0, Cells.left(String.format(FORMAT, " ", "LOOP", "TASKS", "IN FLIGHT", "STUCK", "REGISTERED",
                "NEW/S", "REFUSED"), width));
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
            if (loop.stuck() > 0 || loop.refused() > 0) {
                theme.stuck(g);
            } else {
                theme.plain(g);
            }
            g.putString(0, row++, Cells.left(line(loop.stuck() > 0 ? "!" : " ", loop.name(), loop.tasks(),
                    loop.inFlight(), loop.stuck(), loop.registered(), data.loopRate(loop.name()), loop.refused()), width));
        }
        theme.title(g);
        g.putString(0, Math.min(row + 1, height - 1), Cells.left(line(stuck > 0 ? "!" : " ", "all " + loops.size(),
                tasks, inFlight, stuck, registered, data.tasksPerSecond(), refused), width));
    }

    private static String line(String marker, String name, int tasks, int inFlight, int stuck, long registered,
                               double perSecond, long refused) {
        return String.format(FORMAT, marker, name, TimeText.count(tasks), TimeText.count(inFlight),
                TimeText.count(stuck), TimeText.count(registered), Double.isNaN(perSecond) ? "-" : TimeText.rate(perSecond),
                TimeText.count(refused));
    }
}
