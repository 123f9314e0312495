package io.routerctl.probes.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.routerctl.probes.snapshot.TaskCensus;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.attach.AttachServer;
import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.snapshot.TaskKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * routerctl's findings as Micrometer meters, for the registry a service already has (Prometheus,
 * OTLP, Datadog...):
 *
 * <table>
 *   <caption>Meters (Prometheus names in brackets)</caption>
 *   <tr><td>{@code routerctl.tasks.inflight} {kind}</td><td>gauge: tasks in flight
 *       ({@code routerctl_tasks_inflight})</td></tr>
 *   <tr><td>{@code routerctl.tasks.stuck} {kind, point}</td><td>gauge: stuck tasks waiting on that
 *       probe point, {@code none} when they wait on nothing known ({@code routerctl_tasks_stuck})</td></tr>
 *   <tr><td>{@code routerctl.tasks.stuck.oldest} {kind, point}</td><td>gauge, seconds: the longest
 *       one of them went without progress ({@code routerctl_tasks_stuck_oldest_seconds})</td></tr>
 *   <tr><td>{@code routerctl.threads.orphaned}</td><td>gauge: threads that outlived the request they
 *       served and still live, a leak ({@code routerctl_threads_orphaned})</td></tr>
 *   <tr><td>{@code routerctl.wakeups.lost}</td><td>counter: lost wake-ups proven
 *       ({@code routerctl_wakeups_lost_total})</td></tr>
 *   <tr><td>{@code routerctl.loops.blocked}</td><td>counter: blocked-loop episodes
 *       ({@code routerctl_loops_blocked_total})</td></tr>
 *   <tr><td>{@code routerctl.loops.blocked.now}</td><td>gauge: loops blocked now
 *       ({@code routerctl_loops_blocked_now})</td></tr>
 *   <tr><td>{@code routerctl.tasks.refused}</td><td>counter: registrations refused, a shard being
 *       full ({@code routerctl_tasks_refused_total})</td></tr>
 *   <tr><td>{@code routerctl.updates.dropped}</td><td>counter: {@code top} updates never sent
 *       ({@code routerctl_updates_dropped_total})</td></tr>
 * </table>
 *
 * <p>"Stuck" is {@code dump-stuck}'s: no progress for {@link Builder#olderThan} (default 5s), or a
 * wait far past its point's usual latency (the adaptive rule, on by default). Probe points are few
 * and bounded, so the {@code point} tag is too; series of points with nothing stuck any more are
 * removed.
 *
 * <pre>{@code
 * new RouterctlMetrics(registry).bindTo(meterRegistry);   // or RouterctlMetrics.builder(registry)...
 * }</pre>
 *
 * <h2>Cost and threads</h2>
 * Nothing runs on the service's threads. The gauges are counted every {@link Builder#refresh}
 * (default 5s) on one daemon thread, {@code routerctl-metrics}, by one pass over the live tasks
 * ({@link TaskRegistry#census}: no task copied out; allocation in the points with stuck tasks), and
 * a scrape reads the last count. The counters read detector counters at scrape time. A service
 * without Micrometer never loads this class, so it pays nothing.
 *
 * <h2>Thread safety</h2>
 * {@link #bindTo} and {@link #close} are safe from any thread; bind to several registries if needed.
 */
public final class RouterctlMetrics implements MeterBinder, AutoCloseable {

    /** {@code routerctl.metrics.olderThanMs}: the default stuck threshold, in ms (5000). */
    public static final String OLDER_THAN_PROPERTY = "routerctl.metrics.olderThanMs";
    /** {@code routerctl.metrics.refreshMs}: how often the gauges are counted by default, in ms (5000, at least 100). */
    public static final String REFRESH_PROPERTY = "routerctl.metrics.refreshMs";

    private final TaskRegistry registry;
    private final long olderThanMs;
    private final boolean adaptive;
    private final Duration refresh;
    private final List<Bound> bound = new CopyOnWriteArrayList<>();
    private volatile ScheduledExecutorService refresher;
    /** Orphaned threads at the last count (the refresher writes, scrapes read). */
    private volatile int orphans;

    /** Meters for {@code registry} with the defaults: stuck after 5s, adaptive on, counted every 5s. */
    public RouterctlMetrics(TaskRegistry registry) {
        this(builder(registry));
    }

    private RouterctlMetrics(Builder b) {
        this.registry = b.registry;
        this.olderThanMs = b.olderThan.toMillis();
        this.adaptive = b.adaptive;
        this.refresh = b.refresh;
    }

    /** A builder for meters of {@code registry}. */
    public static Builder builder(TaskRegistry registry) {
        return new Builder(registry);
    }

    /**
     * Binds meters of {@code registry} to Micrometer's global registry ({@code Metrics.globalRegistry}),
     * which hands them to every registry the service adds to it, now or later: what the routerctl
     * agent does when the service has Micrometer. Close the result to take the meters away again.
     */
    public static RouterctlMetrics bindToGlobalRegistry(TaskRegistry registry) {
        RouterctlMetrics m = new RouterctlMetrics(registry);
        m.bindTo(io.micrometer.core.instrument.Metrics.globalRegistry);
        return m;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Bound b = new Bound(meters, new CopyOnWriteArrayList<>(),
                MultiGauge.builder("routerctl.tasks.inflight")
                        .description("Tasks in flight, by kind (connection, request, future, thread)").register(meters),
                MultiGauge.builder("routerctl.tasks.stuck")
                        .description("Tasks without progress past the stuck threshold, by kind and waited-on probe point")
                        .register(meters),
                MultiGauge.builder("routerctl.tasks.stuck.oldest").baseUnit("seconds")
                        .description("The longest a stuck task of this kind and point went without progress")
                        .register(meters));
        b.others().add(FunctionCounter.builder("routerctl.wakeups.lost", registry, TaskRegistry::lostWakeupsFound)
                .description("Lost wake-ups proven: futures whose completer was dropped without completing")
                .register(meters));
        b.others().add(FunctionCounter.builder("routerctl.loops.blocked", registry, TaskRegistry::blockedEpisodes)
                .description("Episodes of an event loop blocked past the watchdog's threshold").register(meters));
        b.others().add(Gauge.builder("routerctl.threads.orphaned", this, m -> m.orphans)
                .description("Threads that outlived the request they served and still live (a leak)").register(meters));
        b.others().add(Gauge.builder("routerctl.loops.blocked.now", registry, TaskRegistry::blockedNow)
                .description("Event loops blocked now").register(meters));
        b.others().add(FunctionCounter.builder("routerctl.tasks.refused", registry, TaskRegistry::refusedTotal)
                .description("Task registrations refused because a loop's registry was full").register(meters));
        b.others().add(FunctionCounter.builder("routerctl.updates.dropped", registry, r -> AttachServer.updatesDropped())
                .description("Live updates to routerctl top never sent (over budget, or a slow console)")
                .register(meters));
        bound.add(b);
        TaskCensus first = registry.census(olderThanMs, adaptive);
        orphans = first.orphans();
        b.show(first);
        startRefresher();
    }

    /** Counts now and updates every bound registry's gauges (what the refresher does). Any thread. */
    public TaskCensus refreshNow() {
        TaskCensus census = registry.census(olderThanMs, adaptive);
        orphans = census.orphans();
        for (Bound b : bound) {
            b.show(census);
        }
        return census;
    }

    private void startRefresher() {
        if (refresher != null) {
            return;
        }
        synchronized (this) {
            if (refresher == null) {
                ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "routerctl-metrics");
                    t.setDaemon(true);
                    return t;
                });
                long ms = refresh.toMillis();
                s.scheduleWithFixedDelay(() -> {
                    try {
                        refreshNow();
                    } catch (RuntimeException | Error e) {
                        // A bug of ours must not end the refresher (a throwing task is never run again).
                        InternalErrors.record(Thread.currentThread().getName(), e);
                    }
                }, ms, ms, TimeUnit.MILLISECONDS);
                refresher = s;
            }
        }
    }

    /** Stops counting and removes the meters from every registry they were bound to. */
    @Override
    public void close() {
        ScheduledExecutorService s = refresher;
        if (s != null) {
            s.shutdownNow();
        }
        for (Bound b : bound) {
            b.remove();
        }
        bound.clear();
    }

    /** The meters of one bound registry. */
    private record Bound(MeterRegistry meters, List<io.micrometer.core.instrument.Meter> others,
                         MultiGauge inFlight, MultiGauge stuck, MultiGauge oldest) {

        void remove() {
            inFlight.register(List.of(), true);
            stuck.register(List.of(), true);
            oldest.register(List.of(), true);
            for (io.micrometer.core.instrument.Meter m : others) {
                meters.remove(m);
            }
        }

        void show(TaskCensus census) {
            List<MultiGauge.Row<?>> flying = new ArrayList<>();
            for (Map.Entry<TaskKind, Integer> e : census.inFlight().entrySet()) {
                flying.add(MultiGauge.Row.of(Tags.of("kind", e.getKey().wireName()), e.getValue()));
            }
            List<MultiGauge.Row<?>> counts = new ArrayList<>();
            List<MultiGauge.Row<?>> ages = new ArrayList<>();
            for (TaskCensus.Point p : census.stuck()) {
                Tags tags = Tags.of("kind", p.kind().wireName(), "point", p.point());
                counts.add(MultiGauge.Row.of(tags, p.count()));
                ages.add(MultiGauge.Row.of(tags, p.oldestMs() / 1000.0));
            }
            inFlight.register(flying, true);
            stuck.register(counts, true);
            oldest.register(ages, true);
        }
    }

    /**
     * Options for {@link RouterctlMetrics}.
     *
     * <h2>Thread safety</h2>
     * Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private final TaskRegistry registry;
        private Duration olderThan = Duration.ofMillis(Math.max(0, Long.getLong(OLDER_THAN_PROPERTY, io.routerctl.probes.snapshot.TaskQuery.DEFAULT_OLDER_THAN_MS)));
        private boolean adaptive = true;
        private Duration refresh = Duration.ofMillis(Math.max(100, Long.getLong(REFRESH_PROPERTY, 5_000)));

        private Builder(TaskRegistry registry) {
            this.registry = java.util.Objects.requireNonNull(registry, "registry");
        }

        /** A task without progress for this long is stuck (default 5s, as {@code dump-stuck}; or {@value #OLDER_THAN_PROPERTY}). */
        public Builder olderThan(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("olderThan must not be negative, got " + d);
            }
            this.olderThan = d;
            return this;
        }

        /** Whether a wait far past its point's usual latency is stuck too (default true). */
        public Builder adaptive(boolean on) {
            this.adaptive = on;
            return this;
        }

        /** How often the gauges are counted, 100ms or more (default 5s). */
        public Builder refresh(Duration d) {
            if (d.toMillis() < 100) {
                throw new IllegalArgumentException("refresh must be at least 100ms, got " + d);
            }
            this.refresh = d;
            return this;
        }

        public RouterctlMetrics build() {
            return new RouterctlMetrics(this);
        }
    }
}
