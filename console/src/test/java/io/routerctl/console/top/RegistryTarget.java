package io.routerctl.console.top;

import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.attach.Subscription;
import io.routerctl.probes.attach.SubscriptionListener;
import io.routerctl.probes.attach.TargetErrorException;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A target inside this JVM: a real {@link TaskRegistry} answered the way the attach server answers
 * (the same in-target query, filtered and limited), without the socket. For measuring top against a
 * large registry and for trying it on a real terminal.
 */
final class RegistryTarget implements TopConnector, TopConnection {

    private final TaskRegistry registry;
    private final String name;
    private final long startedAtMs = System.currentTimeMillis();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-target-updates");
        t.setDaemon(true);
        return t;
    });

    /** The largest limit any subscription asked for: what the console could ever hold. */
    final java.util.concurrent.atomic.AtomicInteger largestLimit = new java.util.concurrent.atomic.AtomicInteger();

    RegistryTarget(TaskRegistry registry, String name) {
        this.registry = registry;
        this.name = name;
    }

    @Override
    public TopConnection connect() {
        return this;
    }

    @Override
    public String describe() {
        return "in-process " + name;
    }

    @Override
    public TargetInfo target() {
        return new TargetInfo(ProcessHandle.current().pid(), name, startedAtMs,
                System.currentTimeMillis() - startedAtMs, registry.shards().size(), 1, System.getProperty("java.version"));
    }

    @Override
    public Subscription subscribe(TaskQuery first, Duration interval, SubscriptionListener listener) {
        TaskQuery[] query = {first};
        largestLimit.accumulateAndGet(first.limit(), Math::max);
        Runnable send = () -> {
            TaskQuery q = query[0];
            TaskReport report = registry.query(q);
            listener.onUpdate(target(), report, registry.loops(q.olderThanMs()), 0);
        };
        ScheduledFuture<?> task = timer.scheduleAtFixedRate(send, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return new Subscription() {
            @Override
            public void update(TaskQuery q) {
                largestLimit.accumulateAndGet(q.limit(), Math::max);
                query[0] = q;
            }

            @Override
            public void close() {
                task.cancel(false);
            }
        };
    }

    @Override
    public TaskFamily task(long id, long olderThanMs, boolean adaptive) throws TargetErrorException {
        TaskSnapshot task = registry.task(id, olderThanMs)
                .orElseThrow(() -> new TargetErrorException("not_found", "no task " + id));
        TaskSnapshot parent = task.parent() == null ? null : registry.task(task.parent(), olderThanMs).orElse(null);
        List<TaskSnapshot> siblings = task.parent() == null ? List.of()
                : registry.find(t -> task.parent().equals(t.parent()) && t.id() != id, 20, olderThanMs);
        List<TaskSnapshot> children = registry.find(t -> Long.valueOf(id).equals(t.parent()), 20, olderThanMs);
        return new TaskFamily(task, parent, siblings, children);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
