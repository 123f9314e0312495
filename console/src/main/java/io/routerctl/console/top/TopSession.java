package io.routerctl.console.top;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.Terminal;
import io.routerctl.probes.attach.Subscription;
import io.routerctl.probes.attach.SubscriptionListener;
import io.routerctl.probes.attach.TargetErrorException;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.IntToLongFunction;

/**
 * Runs {@code top} on a terminal until the user quits: subscribes to the target, feeds its updates into
 * a {@link TopModel}, turns keys into state changes through {@link TopController}, redraws on an update,
 * a key or a resize, and reconnects with backoff when the target goes away.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>The UI thread (the caller of {@link #run}) owns the model and the screen. It polls keys and waits
 *       on {@link #events} for at most {@link #TICK_MS} between polls.</li>
 *   <li>The attach client's reader thread calls the subscription listener. It never touches the model:
 *       it puts the update into a one-slot mailbox and wakes the UI thread, so a slow screen can never
 *       make the console queue without bound; updates overwritten in the slot are counted as dropped.</li>
 *   <li>One I/O thread ({@code routerctl-top-io}) connects, subscribes, changes the subscription's query
 *       and fetches a task's detail, so the screen never waits on the target. Its results come back as
 *       events.</li>
 * </ul>
 *
 * <h2>Generations</h2>
 * Every connection attempt gets a new generation number, and everything the I/O and reader threads
 * post carries the generation it belongs to. The UI thread drops what belongs to an older one: a late
 * update or close from a connection already replaced cannot corrupt the current one.
 *
 * <h2>Terminal</h2>
 * The session takes a lanterna {@link Terminal} (a {@code DefaultVirtualTerminal} in tests) and restores
 * it in all cases through {@link TerminalRestorer}: normal exit, error, Ctrl-C.
 *
 * <h2>Thread safety</h2>
 * {@link #run} is called once, from one thread.
 */
public final class TopSession {

    /** The longest the UI thread waits for an event before polling the keyboard again. */
    static final long TICK_MS = 25;

    private static final IntToLongFunction DEFAULT_BACKOFF_MS =
            attempt -> Math.min(5_000L, 250L << Math.min(5, Math.max(0, attempt - 1)));

    private final Terminal terminal;
    private final TopConnector connector;
    private final TopSettings settings;
    private final Theme theme;
    private final TerminalRestorer.ShutdownHooks hooks;
    private final IntToLongFunction backoffMs;
    private final Consumer<TopModel> afterFrame;

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicReference<Update> updateSlot = new AtomicReference<>();
    private final AtomicLong overwrittenUpdates = new AtomicLong();
    private final TopModel model;

    private ScheduledExecutorService io;
    private TerminalScreen screen;
    private TerminalRestorer restorer;
    /** The model's query, published by the UI thread for the I/O thread's (re)subscriptions. */
    private volatile TaskQuery wantedQuery;
    private int generation;
    private TopConnection connection;
    private Subscription subscription;
    private TaskQuery sentQuery;
    private boolean detailFetchInFlight;
    private long detailFetchedId = -1;
    private long updatesAtDetailFetch = -1;

    /** A session with the production defaults: the JVM's shutdown hooks, backoff from 250 ms to 5 s. */
    public TopSession(Terminal terminal, TopConnector connector, TopSettings settings) {
        this(terminal, connector, settings, Theme.fromEnvironment(System.getenv()), TerminalRestorer.ShutdownHooks.runtime(),
                DEFAULT_BACKOFF_MS, model -> { });
    }

    /**
     * A session with the production defaults that calls {@code afterFrame} on the UI thread after every
     * frame reached the terminal: for end-to-end tests that read a {@code DefaultVirtualTerminal}.
     */
    public TopSession(Terminal terminal, TopConnector connector, TopSettings settings, Consumer<TopModel> afterFrame) {
        this(terminal, connector, settings, Theme.fromEnvironment(System.getenv()), TerminalRestorer.ShutdownHooks.runtime(),
                DEFAULT_BACKOFF_MS, afterFrame);
    }

    TopSession(Terminal terminal, TopConnector connector, TopSettings settings, Theme theme,
               TerminalRestorer.ShutdownHooks hooks, IntToLongFunction backoffMs, Consumer<TopModel> afterFrame) {
        this.terminal = Objects.requireNonNull(terminal, "terminal");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.theme = theme;
        this.hooks = hooks;
        this.backoffMs = backoffMs;
        this.afterFrame = afterFrame;
        this.model = new TopModel(connector.describe(), settings.olderThanMs(), settings.filter(),
                settings.initialWindowRows(), settings.maxWindowRows(), settings.adaptive());
        this.model.frozen(connector.frozenLabel());
    }

    /**
     * Shows the target behind {@code first} (already connected) until the user quits, then closes
     * every connection it made or was given and restores the terminal; returns the exit code (0).
     * Errors propagate after the terminal is restored and the connections are closed.
     */
    public int run(TopConnection first) throws IOException {
        screen = new TerminalScreen(terminal);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "routerctl-top-io");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        io = executor;
        try (TerminalRestorer restorer = new TerminalRestorer(screen, hooks)) {
            this.restorer = restorer;
            restorer.start();
            int firstGeneration = ++generation;
            wantedQuery = model.query();
            io.execute(() -> subscribeNow(first, firstGeneration, 0));
            draw(true);
            loop();
            return 0;
        } finally {
            io.shutdownNow();
            try {
                io.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(subscription, connection);
            // Connections the I/O thread made that the UI never adopted: a quit or an error came
            // before their Connected event was handled (case 2 below). And the first connection is
            // ours whether or not it was adopted yet.
            for (Event e; (e = events.poll()) != null; ) {
                if (e instanceof Connected c) {
                    closeQuietly(c.subscription(), c.connection());
                }
            }
            closeQuietly(null, first);
        }
    }

    private void loop() throws IOException {
        // A restored terminal means the shutdown hook ran (Ctrl-C, kill): stop drawing and leave.
        while (!model.quitRequested() && !restorer.restored()) {
            boolean dirty = false;
            KeyStroke key;
            while (!model.quitRequested() && (key = screen.pollInput()) != null) {
                TopController.onKey(model, key);
                dirty = true;
            }
            if (model.quitRequested()) {
                return;
            }
            TerminalSize resized = screen.doResizeIfNecessary();
            boolean full = resized != null;
            Event event;
            try {
                event = events.poll(dirty || full ? 0 : TICK_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            while (event != null) {
                handle(event);
                dirty = true;
                event = events.poll();
            }
            long silentBefore = model.silentSeconds();
            if (model.checkSilence(System.nanoTime(), settings.interval().toMillis()) != silentBefore) {
                dirty = true;
            }
            if (dirty || full) {
                requestWhatTheModelNeeds();
                draw(full);
            }
        }
    }

    private void draw(boolean full) throws IOException {
        TopScreenLayout.draw(screen.newTextGraphics(), model, theme);
        screen.refresh(full ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
        afterFrame.accept(model);
    }

    // ---------------------------------------------------------------- events from other threads

    private sealed interface Event permits UpdateReady, Closed, Connected, ConnectFailed, DetailLoaded, DetailMissing,
            QueryRefused {
    }

    /** An update waits in {@link #updateSlot}. */
    private record UpdateReady() implements Event {
    }

    private record Update(int generation, TargetInfo target, TaskReport report, List<LoopSnapshot> loops, long dropped) {
    }

    private record Closed(int generation, String reason) implements Event {
    }

    private record Connected(int generation, TopConnection connection, Subscription subscription, TaskQuery query)
            implements Event {
    }

    private record ConnectFailed(int generation, int attempt, String reason) implements Event {
    }

    private record DetailLoaded(int generation, long id, TaskFamily family) implements Event {
    }

    private record DetailMissing(int generation, long id, boolean gone) implements Event {
    }

    /** The target refused a query (its filter needed more than the target's budget). */
    private record QueryRefused(int generation, TaskQuery query, String reason) implements Event {
    }

    private void handle(Event event) {
        if (event instanceof UpdateReady) {
            Update update = updateSlot.getAndSet(null);
            if (update != null && update.generation() == generation) {
                long overwritten = overwrittenUpdates.getAndSet(0);
                model.applyUpdate(update.target(), update.report(), update.loops(), update.dropped() + overwritten);
                model.heardAt(System.nanoTime());
            }
        } else if (event instanceof Connected c) {
            if (c.generation() != generation) {
                closeQuietly(c.subscription(), c.connection());
                return;
            }
            connection = c.connection();
            subscription = c.subscription();
            sentQuery = c.query();
            model.linkUp();
        } else if (event instanceof Closed c) {
            if (c.generation() == generation) {
                targetLost(1, c.reason());
            }
        } else if (event instanceof ConnectFailed f) {
            if (f.generation() == generation) {
                targetLost(f.attempt() + 1, f.reason());
            }
        } else if (event instanceof DetailLoaded d) {
            detailFetchInFlight = false;
            if (d.generation() == generation) {
                model.detailLoaded(d.id(), d.family());
            }
        } else if (event instanceof QueryRefused r) {
            if (r.generation() == generation) {
                model.filterRefused(r.query().filter(), r.reason());
            }
        } else if (event instanceof DetailMissing d) {
            detailFetchInFlight = false;
            if (d.generation() == generation && d.gone()) {
                model.detailGone(d.id());
            }
        }
    }

    /** The connection of the current generation is gone: show it and try again after the backoff. */
    private void targetLost(int attempt, String reason) {
        TopConnection oldConnection = connection;
        Subscription oldSubscription = subscription;
        connection = null;
        subscription = null;
        sentQuery = null;
        detailFetchInFlight = false;
        io.execute(() -> closeQuietly(oldSubscription, oldConnection));
        model.linkLost(attempt, reason);
        int attemptGeneration = ++generation;
        io.schedule(() -> {
            TopConnection fresh;
            try {
                fresh = connector.connect();
            } catch (Exception e) {
                post(new ConnectFailed(attemptGeneration, attempt, oneLine(e)));
                return;
            }
            subscribeNow(fresh, attemptGeneration, attempt);
        }, backoffMs.applyAsLong(attempt), TimeUnit.MILLISECONDS);
        // Case analysis, the reconnect racing the user:
        // 1. The user changes the query while the target is gone: the attempt subscribes with the latest
        //    published wantedQuery. If the user changes it again between that read and Connected being
        //    handled, Connected carries the query actually used as sentQuery, requestWhatTheModelNeeds()
        //    sees the difference and sends an update. OK.
        // 2. The user quits (or drawing fails) while an attempt runs, or before its Connected was handled:
        //    run() shuts the executor down, waits for it (the attempt is interrupted), then closes the
        //    adopted connection and every connection still carried by an unhandled Connected. OK: nothing
        //    stays open after run() returns, also when top runs inside a longer-lived front end.
    }

    /** Subscribes {@code fresh} as generation {@code gen} with the wanted query; runs on the I/O thread. */
    private void subscribeNow(TopConnection fresh, int gen, int attempt) {
        TaskQuery query = wantedQuery;
        try {
            Subscription s;
            try {
                s = fresh.subscribe(query, settings.interval(), listener(gen));
            } catch (TargetErrorException refused) {
                if (query.filter() == null) {
                    throw refused;
                }
                // The filter is what costs: go on without it, and tell the user.
                post(new QueryRefused(gen, query, oneLine(refused)));
                query = query.withFilter(null);
                s = fresh.subscribe(query, settings.interval(), listener(gen));
            }
            post(new Connected(gen, fresh, s, query));
        } catch (Exception e) {
            closeQuietly(null, fresh);
            post(new ConnectFailed(gen, attempt, oneLine(e)));
        }
    }

    private SubscriptionListener listener(int gen) {
        return new SubscriptionListener() {
            @Override
            public void onUpdate(TargetInfo target, TaskReport report, List<LoopSnapshot> loops, long droppedBefore) {
                // One-slot mailbox. Interleavings with the UI thread's getAndSet(null) in handle():
                // 1. Slot empty: we fill it and post UpdateReady; the UI takes it. OK.
                // 2. Slot full (the UI has not run yet): we replace it and count one overwritten update;
                //    the UpdateReady already queued delivers the newest. OK, nothing shown twice.
                // 3. The UI empties the slot between our getAndSet and a previous UpdateReady: that
                //    UpdateReady finds null and does nothing; ours was posted because we saw null. OK.
                Update previous = updateSlot.getAndSet(new Update(gen, target, report, loops, droppedBefore));
                if (previous == null) {
                    post(new UpdateReady());
                } else {
                    overwrittenUpdates.incrementAndGet();
                }
            }

            @Override
            public void onClosed(Exception cause) {
                post(new Closed(gen, cause == null ? "connection closed" : oneLine(cause)));
            }
        };
    }

    private void post(Event event) {
        events.add(event);
    }

    // ---------------------------------------------------------------- what the model asks of the target

    /** After keys or updates: send a changed query, fetch the open detail. */
    private void requestWhatTheModelNeeds() {
        TaskQuery wanted = model.query();
        wantedQuery = wanted;
        if (subscription == null || connection == null) {
            return;
        }
        if (!wanted.equals(sentQuery)) {
            sentQuery = wanted;
            Subscription s = subscription;
            int gen = generation;
            io.execute(() -> {
                try {
                    s.update(wanted);
                } catch (Exception e) {
                    if (e.getCause() instanceof TargetErrorException refused) {
                        post(new QueryRefused(gen, wanted, oneLine(refused)));
                    } else {
                        post(new Closed(gen, "changing the query failed: " + oneLine(e)));
                    }
                }
            });
        }
        if (model.view() == TopModel.View.DETAIL && !detailFetchInFlight && !model.detailGone()
                && (model.detailId() != detailFetchedId || model.updatesReceived() != updatesAtDetailFetch)) {
            long id = model.detailId();
            detailFetchInFlight = true;
            detailFetchedId = id;
            updatesAtDetailFetch = model.updatesReceived();
            TopConnection c = connection;
            int gen = generation;
            long olderThan = model.olderThanMs();
            io.execute(() -> {
                try {
                    post(new DetailLoaded(gen, id, c.task(id, olderThan, settings.adaptive())));
                } catch (TargetErrorException e) {
                    post(new DetailMissing(gen, id, "not_found".equals(e.code())));
                } catch (Exception e) {
                    post(new DetailMissing(gen, id, false));
                }
            });
        } else if (model.view() != TopModel.View.DETAIL) {
            detailFetchedId = -1;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void closeQuietly(Subscription s, TopConnection c) {
        try {
            if (s != null) {
                s.close();
            }
        } catch (RuntimeException ignored) {
            // Closing on the way out; the target may already be gone.
        }
        try {
            if (c != null) {
                c.close();
            }
        } catch (RuntimeException ignored) {
            // As above.
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }

    /** The model, for tests that look at state rather than the screen. */
    TopModel model() {
        return model;
    }
}
