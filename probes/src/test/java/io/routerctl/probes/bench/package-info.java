/**
 * JMH microbenchmarks of the task registry, and a footprint probe: what tracking costs an event
 * loop per call, per task and per query.
 *
 * <p>These classes are compiled by every build (so they cannot rot) but never run as tests: their
 * names end in {@code Benchmark}, not {@code Test}. Run them with {@code docs/bench/micro.sh} (see
 * {@code docs/performance.md} for the commands and the measured numbers).
 *
 * <h2>What is measured</h2>
 * <ul>
 *   <li>{@link io.routerctl.probes.bench.ShardOperationsBenchmark}: each writer operation on the
 *       owning thread, with tracking on and off side by side.</li>
 *   <li>{@link io.routerctl.probes.bench.ShardRegisterFinishBenchmark}: register and finish alone,
 *       in batches, so each is timed without the other.</li>
 *   <li>{@link io.routerctl.probes.bench.TwoWritersBenchmark}: two event loops writing their own
 *       shards at once, against one alone (false sharing would show as a slowdown).</li>
 *   <li>{@link io.routerctl.probes.bench.QueryUnderLoadBenchmark}: stuck and all-task queries over
 *       100,000 and 1,000,000 in-flight tasks, and what they cost a writer running beside them.</li>
 *   <li>{@link io.routerctl.probes.bench.TaskFootprint}: heap bytes per tracked task.</li>
 * </ul>
 * Tools beside them: {@link io.routerctl.probes.bench.WorkerCpuProfiler}, a JMH profiler giving the
 * on-CPU time per operation (the machine these run on is shared: wall time alone carries its load),
 * and {@link io.routerctl.probes.bench.AttachLoad}, the attach client the end-to-end benchmark
 * ({@code docs/bench/e2e.sh}) runs against the sample router.
 *
 * <h2>Thread safety</h2>
 * Benchmark state follows the registry's rule: every shard is written by one thread only, the one
 * JMH runs its writer on (or, before the measurement starts, the setup thread that hands it over).
 */
package io.routerctl.probes.bench;
