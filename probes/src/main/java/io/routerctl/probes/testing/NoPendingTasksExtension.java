package io.routerctl.probes.testing;

import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.snapshot.TaskSnapshot;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Fails a test that leaves tracked waits pending, or whose completers were dropped without
 * completing (lost wake-ups), in any {@link TaskRegistry} of this JVM, naming each task and its
 * probe point. Waits pending before the test began are not held against it.
 *
 * <p>Use it with {@code @ExtendWith(NoPendingTasksExtension.class)}, or for a whole suite through
 * JUnit's extension auto-detection (a {@code META-INF/services/org.junit.jupiter.api.extension.Extension}
 * file naming this class, and {@code junit.jupiter.extensions.autodetection.enabled=true}). A test
 * that leaves waits pending on purpose says so with {@link AllowPendingTasks}.
 *
 * <p>Pending waits are examined after a full GC (at most {@value #GC_TIMEOUT_MS} ms), only when
 * there are any, so that a dropped completer is reported as the lost wake-up it is.
 *
 * <h2>Thread safety</h2>
 * JUnit calls it per test; state is kept per test in the extension context store.
 */
public final class NoPendingTasksExtension implements BeforeEachCallback, AfterEachCallback {

    static final long GC_TIMEOUT_MS = 2_000;
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoPendingTasksExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        Map<TaskRegistry, Set<Long>> before = new WeakHashMap<>();
        for (TaskRegistry registry : TaskRegistry.all()) {
            Set<Long> ids = new HashSet<>();
            for (TaskSnapshot t : registry.trackedWaits()) {
                ids.add(t.id());
            }
            before.put(registry, ids);
        }
        context.getStore(NS).put("before", before);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (allowed(context)) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<TaskRegistry, Set<Long>> before = context.getStore(NS).get("before", Map.class);
        List<String> problems = new ArrayList<>();
        for (TaskRegistry registry : TaskRegistry.all()) {
            Set<Long> old = before == null ? Set.of() : before.getOrDefault(registry, Set.of());
            List<TaskSnapshot> pending = fresh(registry.trackedWaits(), old);
            if (pending.isEmpty()) {
                continue;
            }
            registry.collectLostWakeups(Duration.ofMillis(GC_TIMEOUT_MS));
            for (TaskSnapshot t : fresh(registry.trackedWaits(), old)) {
                boolean lost = t.warnings().contains("lost-wakeup");
                problems.add((lost ? "lost wake-up: " : "left pending: ") + t.kind() + " " + t.id()
                        + (t.remote() == null ? "" : " from " + t.remote())
                        + " waiting on " + t.waitingOn() + " (" + t.waitingAt() + ") for " + t.waitingMs() + " ms"
                        + (lost ? ": its completer was dropped without completing" : ""));
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("the test left " + problems.size() + " tracked wait(s) behind:\n  "
                    + String.join("\n  ", problems));
        }
    }

    private static List<TaskSnapshot> fresh(List<TaskSnapshot> tasks, Set<Long> old) {
        List<TaskSnapshot> out = new ArrayList<>();
        for (TaskSnapshot t : tasks) {
            if (!old.contains(t.id())) {
                out.add(t);
            }
        }
        return out;
    }

    private static boolean allowed(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(AllowPendingTasks.class)).orElse(false)
                || context.getTestClass().map(c -> c.isAnnotationPresent(AllowPendingTasks.class)).orElse(false);
    }
}
