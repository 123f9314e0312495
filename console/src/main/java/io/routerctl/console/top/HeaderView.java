package io.routerctl.console.top;

import com.googlecode.lanterna.graphics.TextGraphics;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskReport;

/**
 * The three header lines: who the target is (name, pid, uptime, event loops) with the stream's
 * health on the right (connected, reconnecting, paused); the numbers that matter in an incident (in
 * flight, stuck, new tasks per second, the stuck threshold, updates dropped if any); and how stuck
 * and in flight went over the last five minutes, as sparklines ({@link History}).
 *
 * <h2>Thread safety</h2>
 * Stateless; call from the UI thread with a model confined to it.
 */
final class HeaderView {

    static final int HEIGHT = 3;

    private HeaderView() {
    }

    static void draw(TextGraphics g, TopModel model, Theme theme) {
        int width = g.getSize().getColumns();
        LiveData data = model.shown();
        theme.plain(g);
        g.fill(' ');

        theme.title(g);
        String who;
        if (data == null) {
            who = "routerctl top  " + model.targetLabel();
        } else {
            TargetInfo t = data.target();
            who = "routerctl top  " + t.name() + "  pid " + t.pid() + "  up " + TimeText.duration(t.uptimeMs())
                    + "  " + t.loops() + (t.loops() == 1 ? " loop" : " loops");
        }
        String status = status(model);
        int statusWidth = Cells.width(status);
        g.putString(0, 0, Cells.cut(who, Math.max(0, width - statusWidth - 1)));
        if (model.frozenLabel() != null) {
            theme.label(g);
        } else if (model.link() == TopModel.Link.RECONNECTING) {
            theme.problem(g);
        } else if (model.paused()) {
            theme.warning(g);
        } else if (model.link() == TopModel.Link.CONNECTED) {
            theme.good(g);
        } else {
            theme.label(g);
        }
        g.putString(Math.max(0, width - statusWidth), 0, Cells.cut(status, width));

        theme.plain(g);
        if (data == null) {
            theme.label(g);
            g.putString(0, 1, Cells.cut("waiting for the first update...", width));
            return;
        }
        TaskReport r = data.report();
        int x = 0;
        x = field(g, theme, x, width, "in flight ", TimeText.count(r.inFlight()), false);
        x = field(g, theme, x, width, "stuck ", TimeText.count(r.stuck()), r.stuck() > 0);
        x = field(g, theme, x, width, "req/s ", TimeText.rate(data.requestsPerSecond()), false);
        x = field(g, theme, x, width, "stuck after ", TimeText.duration(model.olderThanMs())
                + (model.adaptive() ? " or 10x p99" : ""), false);
        if (model.updatesDropped() > 0) {
            x = field(g, theme, x, width, "updates dropped ", TimeText.count(model.updatesDropped()), true);
        }
        if (r.refused() > 0) {
            field(g, theme, x, width, "refused ", TimeText.count(r.refused()), true);
        }
        trends(g, model, theme, width);
    }

    /** Line 3: {@code last 5m  stuck ....▂▅█ 60 max 60   in flight ▃▄▅▅ 120 max 131}. */
    static void trends(TextGraphics g, TopModel model, Theme theme, int width) {
        History h = model.history();
        if (h.isEmpty()) {
            return;
        }
        String lead = "last " + (History.WINDOW_MS / 60_000) + "m  ";
        long stuckMax = h.max(true);
        long flyingMax = h.max(false);
        String stuckTail = " max " + TimeText.count(stuckMax);
        String flyingTail = " max " + TimeText.count(flyingMax);
        int fixed = lead.length() + "stuck ".length() + stuckTail.length() + 3 + "in flight ".length()
                + flyingTail.length();
        int columns = Math.max(0, Math.min(60, (width - fixed) / 2));
        int x = 0;
        theme.label(g);
        g.putString(x, 2, Cells.cut(lead + "stuck ", width));
        x += lead.length() + "stuck ".length();
        if (stuckMax > 0) {
            theme.stuck(g);
        } else {
            theme.good(g);
        }
        x = put(g, x, width, Sparkline.of(h.columns(columns, true), stuckMax));
        theme.label(g);
        x = put(g, x, width, stuckTail + "   in flight ");
        theme.title(g);
        x = put(g, x, width, Sparkline.of(h.columns(columns, false), flyingMax));
        theme.label(g);
        put(g, x, width, flyingTail);
    }

    private static int put(TextGraphics g, int x, int width, String text) {
        if (x < width) {
            g.putString(x, 2, Cells.cut(text, width - x));
        }
        return x + text.length();
    }

    /** The stream's health as the top-right corner shows it. */
    static String status(TopModel model) {
        if (model.frozenLabel() != null) {
            return model.frozenLabel() + (model.paused() ? ", paused" : "");
        }
        return switch (model.link()) {
            case CONNECTING -> "connecting...";
            case RECONNECTING -> "reconnecting (attempt " + model.reconnectAttempt() + ")";
            case CONNECTED -> model.silentSeconds() > 0
                    ? "not answering for " + model.silentSeconds() + "s"
                    : model.paused()
                    ? "paused (" + model.updatesWhilePaused() + " updates since)"
                    : "connected";
        } + (model.paused() && model.link() != TopModel.Link.CONNECTED ? ", paused" : "");
    }

    private static int field(TextGraphics g, Theme theme, int x, int width, String label, String value,
                             boolean alarming) {
        if (x >= width) {
            return x;
        }
        theme.label(g);
        g.putString(x, 1, Cells.cut(label, width - x));
        x += label.length();
        if (x >= width) {
            return x;
        }
        if (alarming) {
            theme.stuck(g);
        } else {
            theme.title(g);
        }
        g.putString(x, 1, Cells.cut(value, width - x));
        return x + value.length() + 3;
    }
}
