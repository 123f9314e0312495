package io.routerctl.probes;

import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.snapshot.LoopHealth;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches event loops by heartbeat: every interval it posts a tiny task to each loop and measures
 * how late it runs (lag) and how much CPU the loop thread used (busy). A heartbeat still waiting
 * after the blocked threshold means the loop is blocked: the loop thread's stack is captured once
 * per episode, the loop's shard is marked blocked (its in-flight tasks then carry a
 * {@code blocked-loop} warning), and {@code routerctl loops} shows it.
 *
 * <pre>{@code
 * LoopWatchdog watchdog = new LoopWatchdog(Ticker.system(), LoopWatchdog.defaultInterval(), LoopWatchdog.defaultThreshold());
 * watchdog.watch(shard, eventLoop);   // any Executor that runs tasks on the loop thread
 * }</pre>
 *
 * <h2>Cost on the loop</h2>
 * One heartbeat task per interval per loop (a reused Runnable: no allocation per beat beyond what
 * the executor's queue does), writing three fields. The stack capture, CPU accounting and
 * publication run on the watchdog's own daemon thread, {@code routerctl-loop-watchdog}.
 *
 * <h2>Thread safety</h2>
 * All methods are safe from any thread.
 */
public final class LoopWatchdog implements AutoCloseable {

    /** {@code routerctl.loop.blockedThresholdMs}: a heartbeat this late means blocked. Default 2000 (as Vert.x). */
    public static final String BLOCKED_THRESHOLD_PROPERTY = "routerctl.loop.blockedThresholdMs";
    static final long BLOCKED_THRESHOLD_DEFAULT = 2_000;
    /** {@code routerctl.loop.heartbeatMs}: how often each loop gets a heartbeat. Default 100. */
    public static final String INTERVAL_PROPERTY = "routerctl.loop.heartbeatMs";
    static final long INTERVAL_DEFAULT = 100;

    private static final int MAX_FRAMES = 40;

    private final Ticker ticker;
    private final long intervalNanos;
    private final long thresholdNanos;
    private final ScheduledExecutorService scheduler;
    private final List<Watched> loops = new CopyOnWriteArrayList<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    /** The heartbeat interval from {@value #INTERVAL_PROPERTY}. */
    public static Duration defaultInterval() {
        return Duration.ofMillis(Long.getLong(INTERVAL_PROPERTY, INTERVAL_DEFAULT));
    }

    /** The blocked threshold from {@value #BLOCKED_THRESHOLD_PROPERTY}. */
    public static Duration defaultThreshold() {
        return Duration.ofMillis(Long.getLong(BLOCKED_THRESHOLD_PROPERTY, BLOCKED_THRESHOLD_DEFAULT));
    }

    public LoopWatchdog(Ticker ticker, Duration interval, Duration blockedThreshold) {
        if (interval.isNegative() || interval.isZero() || blockedThreshold.compareTo(interval) < 0) {
            throw new IllegalArgumentException("need 0 < interval <= blocked threshold, got "
                    + interval + " and " + blockedThreshold);
        }
        this.ticker = ticker;
        this.intervalNanos = interval.toNanos();
        this.thresholdNanos = blockedThreshold.toNanos();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "routerctl-loop-watchdog");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::check, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /** Starts watching the loop behind {@code loop}, whose tasks live in {@code shard}. */
    public void watch(TaskShard shard, Executor loop) {
        Watched watched = new Watched(shard, loop);
        loops.add(watched);
        // Learn the loop thread now, not at the first heartbeat: a loop blocked before its first
        // heartbeat ran would otherwise be reported without a stack.
        try {
            loop.execute(watched::learnThread);
        } catch (RejectedExecutionException e) {
            loops.remove(watched);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private void check() {
        for (Watched w : loops) {
            try {
                w.check();
            } catch (LoopGoneException e) {
                // A loop that shut down rejects heartbeats; stop watching it, keep the others.
                loops.remove(w);
            } catch (RuntimeException | Error e) {
                // A bug of ours or out of memory: a scheduled task that throws is never run again,
                // so count it here and keep watching.
                InternalErrors.record(Thread.currentThread().getName(), e);
            }
        }
    }

    /** The loop rejected its heartbeat: it shut down. */
    private static final class LoopGoneException extends RuntimeException {
        LoopGoneException(Throwable cause) {
            super("loop shut down", cause, false, false);
        }
    }

    /** One watched loop: fields written by the heartbeat (on the loop) are volatile. */
    private final class Watched implements Runnable {
        final TaskShard shard;
        final Executor loop;
        volatile Thread thread;
        volatile long postedAt;
        volatile boolean pending;
        volatile long lagNanos;
        long episodeStart;
        boolean blocked;
        long episodes;
        List<String> stack = List.of();
        long lastCpu = -1;
        long lastCpuAt;
        double busy = -1;

        Watched(TaskShard shard, Executor loop) {
            this.shard = shard;
            this.loop = loop;
        }

        /** On the loop thread, once. */
        void learnThread() {
            if (thread == null) {
                thread = Thread.currentThread();
            }
        }

        /** The heartbeat, on the loop thread. */
        @Override
        public void run() {
            if (thread == null) {
                thread = Thread.currentThread();
            }
            lagNanos = ticker.nanoTime() - postedAt;
            pending = false;
        }

        void check() {
            long now = ticker.nanoTime();
            if (!pending) {
                if (blocked) {
                    blocked = false;
                }
                postedAt = now;
                pending = true;
                try {
                    loop.execute(this);
                } catch (RejectedExecutionException e) {
                    throw new LoopGoneException(e);
                }
            } else if (now - postedAt >= thresholdNanos && !blocked) {
                blocked = true;
                episodes++;
                episodeStart = postedAt;
                stack = captureStack();
                Thread t = thread;
                io.routerctl.probes.jfr.FlightEvents.blockedLoop(shard.name(), t == null ? null : t.getName(),
                        (now - postedAt) / 1_000_000L, stack);
            }
            sampleCpu(now);
            long lag = blocked || pending ? Math.max(lagNanos, now - postedAt) : lagNanos;
            shard.health(new LoopHealth(
                    Math.round(lag / 10_000.0) / 100.0,
                    busy,
                    blocked,
                    blocked ? (now - episodeStart) / 1_000_000L : 0,
                    stack,
                    episodes));
        }

        private List<String> captureStack() {
            Thread t = thread;
            if (t == null) {
                return List.of();
            }
            StackTraceElement[] frames = t.getStackTrace();
            List<String> out = new ArrayList<>(Math.min(frames.length, MAX_FRAMES));
            for (int i = 0; i < frames.length && i < MAX_FRAMES; i++) {
                StackTraceElement f = frames[i];
                out.add(f.getClassName() + "." + f.getMethodName()
                        + "(" + (f.getFileName() == null ? "?" : f.getFileName()) + ":" + f.getLineNumber() + ")");
            }
            return out;
        }

        private void sampleCpu(long now) {
            Thread t = thread;
            if (t == null || !threads.isThreadCpuTimeSupported()) {
                return;
            }
            long cpu = threads.getThreadCpuTime(t.getId());
            if (cpu < 0) {
                return;
            }
            if (lastCpu >= 0 && now > lastCpuAt) {
                busy = Math.min(100.0, Math.round((cpu - lastCpu) * 1000.0 / (now - lastCpuAt)) / 10.0);
            }
            lastCpu = cpu;
            lastCpuAt = now;
        }
    }
}
