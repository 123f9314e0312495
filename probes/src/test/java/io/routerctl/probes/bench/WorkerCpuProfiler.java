package io.routerctl.probes.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JMH profiler that reports how much of the measured time the benchmark threads were actually
 * running on a core, and from that the on-CPU time per operation, next to JMH's wall-clock score.
 *
 * <p>Why: this machine is shared with other builds. A benchmark thread that the scheduler takes off
 * its core for a while inflates the wall-clock time per operation although the operation got no
 * dearer. With {@code util} the fraction of the wall time the threads ran (their CPU time over the
 * iteration's wall time), {@code score x util} is the time per operation spent on a core: the
 * steadier estimate of what an operation costs. It assumes the descheduling falls evenly over the
 * iteration (untimed fixtures included); it still carries what other load does to the caches, and
 * it leaves out time a thread spends stopped (a GC pause, a sleep), which the wall-clock score
 * shows: read both.
 *
 * <p>Threads may declare a role by appending {@code #role} to their name ({@link #declareRole});
 * for a JMH group, the result of each method whose name ends in {@code _role} then gets its own
 * {@code <method>.oncpu} figure from that role's threads alone. Reported per iteration:
 * <ul>
 *   <li>{@code cpu.util}: CPU time of all benchmark threads over (wall time x threads);</li>
 *   <li>{@code oncpu}: the primary score times {@code cpu.util}, in the score's unit;</li>
 *   <li>{@code <method>.oncpu} and {@code <method>.util}: the same for one role of a group.</li>
 * </ul>
 * Meant for the average-time mode. Use: {@code docs/bench/micro.sh -prof io.routerctl.probes.bench.WorkerCpuProfiler ...}.
 *
 * <h2>Thread safety</h2>
 * JMH calls {@link #beforeIteration} and {@link #afterIteration} from one thread of the benchmark
 * JVM, in turn; {@link #declareRole} renames only the calling thread.
 */
public final class WorkerCpuProfiler implements InternalProfiler {

    private static final String WORKER_NAME_PART = "jmh-worker";
    private static final String ROLE_MARK = "#";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private Map<Long, Long> cpuBefore = Map.of();
    private long wallBefore;

    public WorkerCpuProfiler() {
        if (!threads.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        threads.setThreadCpuTimeEnabled(true);
    }

    /** Marks the calling (benchmark) thread as playing {@code role} in its group, e.g. {@code writer}. */
    public static void declareRole(String role) {
        Thread t = Thread.currentThread();
        if (!t.getName().contains(ROLE_MARK)) {
            t.setName(t.getName() + ROLE_MARK + role);
        }
    }

    @Override
    public String getDescription() {
        return "share of the measured time the benchmark threads ran, and the on-CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuBefore = workerCpuTimes(new HashMap<>());
        wallBefore = System.nanoTime();
    }

    @Override
    public List<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                 IterationResult result) {
        long wall = System.nanoTime() - wallBefore;
        Map<Long, String> roles = new HashMap<>();
        Map<Long, Long> cpuAfter = workerCpuTimes(roles);
        Map<String, long[]> byRole = new HashMap<>(); // role -> {cpu, threads}
        long cpuAll = 0;
        for (Map.Entry<Long, Long> e : cpuAfter.entrySet()) {
            long cpu = e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L);
            cpuAll += cpu;
            long[] r = byRole.computeIfAbsent(roles.get(e.getKey()), k -> new long[2]);
            r[0] += cpu;
            r[1]++;
        }
        List<Result> out = new ArrayList<>();
        if (cpuAfter.isEmpty() || wall <= 0) {
            return out;
        }
        double util = (double) cpuAll / ((double) wall * cpuAfter.size());
        Result<?> primary = result.getPrimaryResult();
        out.add(new ScalarResult("cpu.util", util, "fraction", AggregationPolicy.AVG));
        out.add(new ScalarResult("oncpu", primary.getScore() * util, primary.getScoreUnit(), AggregationPolicy.AVG));
        for (Map.Entry<String, Result> e : result.getSecondaryResults().entrySet()) {
            String method = e.getKey();
            for (Map.Entry<String, long[]> r : byRole.entrySet()) {
                if (!r.getKey().isEmpty() && method.endsWith("_" + r.getKey())) {
                    double roleUtil = (double) r.getValue()[0] / ((double) wall * r.getValue()[1]);
                    out.add(new ScalarResult(method + ".util", roleUtil, "fraction", AggregationPolicy.AVG));
                    out.add(new ScalarResult(method + ".oncpu", e.getValue().getScore() * roleUtil,
                            e.getValue().getScoreUnit(), AggregationPolicy.AVG));
                }
            }
        }
        return out;
    }

    /** CPU nanos of every benchmark thread by id; fills {@code roles} with each one's role ("" if none). */
    private Map<Long, Long> workerCpuTimes(Map<Long, String> roles) {
        Map<Long, Long> out = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || !info.getThreadName().contains(WORKER_NAME_PART)) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                out.put(info.getThreadId(), cpu);
                String name = info.getThreadName();
                int mark = name.lastIndexOf(ROLE_MARK);
                roles.put(info.getThreadId(), mark < 0 ? "" : name.substring(mark + 1));
            }
        }
        return out;
    }
}
