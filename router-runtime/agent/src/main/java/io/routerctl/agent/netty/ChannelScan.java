package io.routerctl.agent.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.EventExecutorGroup;
import io.routerctl.netty.NettyTracking;
import io.routerctl.probes.internal.InternalErrors;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Finds what a service had before the agent came: its event loops (from the live threads: a loop
 * thread's runnable leads to its loop) and, on each loop, the channels registered with it (from the
 * loop's selector keys or registration map, whichever its transport keeps), and tracks those
 * channels as open before attach.
 *
 * <p>It walks object graphs by reflection, bounded in depth and size, following only Netty's own
 * fields (and, for threads, the thread's runnable), so it works across Netty 4.1 and 4.2 and the
 * NIO, epoll and io_uring transports without naming their private classes. Reading
 * {@code Thread}'s fields needs {@code java.lang} opened to this class's module, which the agent
 * does with its {@code Instrumentation}; without it no loop is found and only channels that become
 * active later are tracked.
 *
 * <h2>Cost and threads</h2>
 * Runs once per attach: the loop search on the attaching thread, each loop's channel walk on that
 * loop (a task submitted to it, so the loop's own structures are read by their owner). Allocates
 * its visited sets; nothing remains afterwards.
 */
final class ChannelScan {

    static final int MAX_DEPTH = 7;
    static final int MAX_VISITS = 200_000;
    /**
     * The most objects a thread's walk visits. A loop's thread leads to its loop within a few
     * (its runnable, the runnable Netty wraps, the loop); any other thread's runnable may lead into
     * the whole application (a Spring context), and 18 such walks of up to {@value #MAX_VISITS}
     * took 0.57 s of a WebFlux attach at saturation.
     */
    static final int THREAD_VISITS = 2_000;
    /**
     * How deep a thread's walk goes. A loop's thread leads to its loop in three references on Java
     * 17 (the thread's runnable, the runnable Netty wraps, the loop the wrapper holds), one more
     * through Java 19's {@code Thread.holder}; a thread of a custom factory may add one. Any other
     * thread's walk stops there instead of after {@value #THREAD_VISITS} objects of the application.
     */
    static final int THREAD_DEPTH = 5;

    private ChannelScan() {
    }

    /** What one scan found. */
    record Found(int loops, int channels, int loopsNotAnswering) {
    }

    /** Finds the loops and tracks their channels; waits up to {@code timeoutMs} for the loops. */
    static Found scan(NettyTracking tracking, long timeoutMs) {
        List<EventLoop> loops = findLoops();
        CountDownLatch done = new CountDownLatch(loops.size());
        AtomicInteger channels = new AtomicInteger();
        for (EventLoop loop : loops) {
            try {
                loop.execute(() -> {
                    try {
                        tracking.watchLoop(loop);
                        for (Channel ch : channelsOf(loop)) {
                            if (ch.eventLoop() != loop) {
                                continue;
                            }
                            if (ch instanceof ServerChannel server) {
                                tracking.trackAccepted(server);
                            } else {
                                tracking.install(ch, true);
                                channels.incrementAndGet();
                            }
                        }
                    } catch (RuntimeException | LinkageError e) {
                        InternalErrors.record("routerctl agent scan", e);
                    } finally {
                        done.countDown();
                    }
                });
            } catch (RuntimeException shutDown) {
                done.countDown();
            }
        }
        try {
            done.await(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Found(loops.size(), channels.get(), (int) done.getCount());
    }

    /** The event loops running in this JVM, found from its threads. */
    static List<EventLoop> findLoops() {
        Set<EventLoop> found = new LinkedHashSet<>();
        Map<Class<?>, Field[]> known = new HashMap<>(); // the same classes recur from thread to thread
        for (Thread t : liveThreads()) {
            walkThread(t, o -> found.add((EventLoop) o), known);
        }
        return new ArrayList<>(found);
    }

    /**
     * Walks {@code thread} for the event loop it runs, reporting each loop to {@code found}: through
     * the thread's runnable and its Netty thread-locals, and on only through what carries code
     * (runnables, executors, Netty's own objects and the arrays and collections these hold), so that
     * the walk of an application's thread does not wander, loading classes, into whatever its
     * runnable holds (a Spring context's beans, configurations). A loop's thread leads to its loop
     * through runnables (Netty's, or an application's thread factory's) or through the loop Netty
     * keeps in the thread's {@code FastThreadLocal}s. Returns the objects visited.
     */
    static int walkThread(Thread thread, java.util.function.Consumer<Object> found, Map<Class<?>, Field[]> known) {
        return walk(thread, o -> o instanceof EventLoop, found, ChannelScan::threadField, THREAD_VISITS, THREAD_DEPTH,
                known, ChannelScan::carriesCode);
    }

    /** Whether a thread's walk goes on through {@code o}, held by {@code holder}. */
    private static boolean carriesCode(Object holder, Object o) {
        if (o instanceof Runnable || o instanceof Executor || o instanceof Callable<?> || isNetty(o.getClass())
                || o.getClass().getName().equals("java.lang.Thread$FieldHolder")) {
            return true;
        }
        return isNetty(holder.getClass())
                && (o.getClass().isArray() || o instanceof Collection<?> || o instanceof Map<?, ?>);
    }

    private static boolean isNetty(Class<?> c) {
        return c.getName().contains("io.netty.");
    }

    /** The channels registered with {@code loop} now, server channels included. Call on {@code loop}. */
    static List<Channel> channelsOf(EventLoop loop) {
        Set<Channel> found = new LinkedHashSet<>();
        walk(loop, o -> o instanceof Channel, o -> found.add((Channel) o), f -> true, MAX_VISITS);
        return new ArrayList<>(found);
    }

    private static List<Thread> liveThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() * 2 + 16];
        int n = root.enumerate(all, true);
        List<Thread> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(all[i]);
        }
        return out;
    }

    /** From a thread, only what leads to the code it runs. */
    private static boolean threadField(Field f) {
        Class<?> owner = f.getDeclaringClass();
        if (owner == Thread.class) {
            return f.getName().equals("target") || f.getName().equals("holder");
        }
        if (owner.getName().equals("java.lang.Thread$FieldHolder")) {
            return f.getName().equals("task");
        }
        return true;
    }

    /**
     * Breadth-first over {@code root}'s graph: objects {@code match} accepts are reported and not
     * entered; other objects are entered through their fields (Netty's and the application's
     * classes; of the JDK's only what {@code fields} allows, plus selectors' keys, collections,
     * maps and arrays). Other event loops and groups, class loaders and threads are not entered.
     * Returns the objects visited: at most {@code maxVisits}.
     */
    static int walk(Object root, Predicate<Object> match, java.util.function.Consumer<Object> found,
                    Predicate<Field> fields, int maxVisits) {
        return walk(root, match, found, fields, maxVisits, MAX_DEPTH, new HashMap<>(), (holder, o) -> true);
    }

    /**
     * As above, at most {@code maxDepth} references from {@code root}, with {@code known}, the
     * fields followed per class, shared with other walks that follow the same {@code fields}, and
     * entering only the objects {@code enter} accepts, given the object that holds them (the others
     * are still matched).
     */
    static int walk(Object root, Predicate<Object> match, java.util.function.Consumer<Object> found,
                    Predicate<Field> fields, int maxVisits, int maxDepth, Map<Class<?>, Field[]> known,
                    BiPredicate<Object, Object> enter) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Queue<Object[]> queue = new ArrayDeque<>();
        queue.add(new Object[]{root, 0, Boolean.TRUE});
        seen.put(root, Boolean.TRUE);
        int visits = 0;
        while (!queue.isEmpty() && visits < maxVisits) {
            visits++;
            Object[] next = queue.poll();
            Object o = next[0];
            int depth = (Integer) next[1];
            if (o != root && match.test(o)) {
                found.accept(o);
                continue;
            }
            if (depth >= maxDepth || !((Boolean) next[2])) {
                continue;
            }
            for (Object child : children(o, o == root, fields, known)) {
                if (child != null && !seen.containsKey(child) && enterable(child, root)) {
                    seen.put(child, Boolean.TRUE);
                    queue.add(new Object[]{child, depth + 1, enter.test(o, child)});
                }
            }
        }
        return visits;
    }

    private static boolean enterable(Object o, Object root) {
        if (o instanceof Class || o instanceof ClassLoader || o instanceof String || o instanceof Number
                || o instanceof Boolean || o instanceof Character) {
            return false;
        }
        if (o instanceof EventExecutorGroup && !(o instanceof EventLoop)) {
            return false; // a group leads to every other loop
        }
        if (o instanceof Thread && o != root) {
            return false;
        }
        return true;
    }

    private static List<Object> children(Object o, boolean isRoot, Predicate<Field> fields,
                                         Map<Class<?>, Field[]> known) {
        List<Object> out = new ArrayList<>();
        try {
            if (o instanceof Selector s) {
                for (SelectionKey k : s.keys()) {
                    out.add(k.attachment());
                }
                return out;
            }
            if (o instanceof Map<?, ?> m) {
                out.addAll(m.values());
                return out;
            }
            if (o instanceof Queue<?>) {
                return out; // a loop's task queues: work, not channels
            }
            if (o instanceof Collection<?> c) {
                out.addAll(c);
                return out;
            }
            Class<?> type = o.getClass();
            if (type.isArray()) {
                if (!type.getComponentType().isPrimitive()) {
                    int n = Math.min(Array.getLength(o), 100_000);
                    for (int i = 0; i < n; i++) {
                        out.add(Array.get(o, i));
                    }
                }
                return out;
            }
            boolean loop = !isRoot && o instanceof EventLoop;
            for (Field f : known.computeIfAbsent(type, ChannelScan::followed)) {
                if (loop || !fields.test(f)) {
                    continue;
                }
                try {
                    out.add(f.get(o));
                } catch (RuntimeException | IllegalAccessException notOpen) {
                    // Cannot be read after all: skip the field.
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // A collection changing under us, a class that cannot be reflected on: skip it.
        }
        return out;
    }

    /**
     * The fields a walk may follow in objects of {@code type}, made accessible: not static, not
     * primitive, and of the JDK's classes only {@code Thread}'s. Found once per class and walk (a
     * walk visits up to {@value #MAX_VISITS} objects, mostly of a few classes; asking each object
     * for its declared fields and opening each field on every visit cost most of a scan).
     */
    private static Field[] followed(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            boolean jdk = isJdk(c);
            if (jdk && !(c == Thread.class || c.getName().startsWith("java.lang.Thread$"))) {
                continue;
            }
            try {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        out.add(f);
                    } catch (RuntimeException notOpen) {
                        // A JDK class not opened to us: skip the field.
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                // A class that cannot be reflected on: its fields are not followed.
            }
        }
        return out.toArray(new Field[0]);
    }

    private static boolean isJdk(Class<?> c) {
        String n = c.getName();
        return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.");
    }
}
