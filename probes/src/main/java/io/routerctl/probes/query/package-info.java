/**
 * What "stuck" means, decided once: the rules of a query (in flight, stuck by which rule, filter,
 * groups, order, limit, relatives) over a small {@link io.routerctl.probes.query.TaskRow} view that
 * both sources of tasks provide.
 *
 * <ul>
 *   <li>A live registry: {@code TaskRegistry.query} copies each slot under its sequence lock into a
 *       reused row and offers it to a {@link io.routerctl.probes.query.ReportBuilder}.</li>
 *   <li>A saved snapshot: {@link io.routerctl.probes.query.SavedTasks} offers each saved task.</li>
 * </ul>
 * The same question gets the same answer from both, at the instant the snapshot was taken; a
 * contract test runs the same cases against both.
 *
 * <h2>The rules, in whole milliseconds</h2>
 * {@link io.routerctl.probes.query.StuckRule}: a task is in flight when running or waiting; it is
 * stuck by {@code older-than} when in flight with no progress for at least the threshold, and by
 * {@code adaptive} (when asked) when waiting at least its probe point's {@code stuck_after_ms}.
 * Both compare whole milliseconds, since that is what a snapshot keeps.
 *
 * <h2>Thread safety</h2>
 * Rows and builders are for one reader thread; {@code SavedTasks} is immutable.
 */
package io.routerctl.probes.query;
