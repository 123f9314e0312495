/**
 * The in-process side of routerctl: a live registry of in-flight work, usable by any JVM service.
 *
 * <h2>The model</h2>
 * A <em>task</em> is a unit of in-flight work: a connection, a request on it, or a pending future the
 * request awaits. Tasks pass named <em>steps</em> ({@link io.routerctl.probes.ProbePoint}s, declared
 * once as constants) and may <em>wait on</em> a probe point. Work that made no progress for longer
 * than a threshold is <em>stuck</em>.
 *
 * <h2>Who writes what</h2>
 * A {@link io.routerctl.probes.TaskRegistry} is split into {@link io.routerctl.probes.TaskShard}s, one
 * per event loop (or per owning thread). Only the thread that owns a shard writes to it; the attach
 * server and other readers take consistent copies without ever blocking the writer.
 *
 * <h2>Hot-path rules (every class in this package)</h2>
 * <ul>
 *   <li>No lock, no CAS and no shared mutable field on the writer's path.</li>
 *   <li>No allocation per step, per wait or per finish in steady state; registering a task
 *       allocates nothing either once the shard has grown to its working size.</li>
 *   <li>No stack capture and no string formatting per task: code locations are recorded once, when
 *       a {@code ProbePoint} constant is declared.</li>
 *   <li>Overload never blocks: when a shard is full, registration is refused, counted, and the count
 *       is shown by the console.</li>
 * </ul>
 */
package io.routerctl.probes;
