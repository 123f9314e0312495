package io.routerctl.probes.snapshot;

/**
 * Live tasks only grew for a while: the shape of a leak (tasks that never finish), which a
 * registry cap turns into refused registrations only once it is reached.
 *
 * @param fromTasks live tasks at the start of the window
 * @param toTasks   live tasks at its end; never fewer than at any sample before
 * @param overMs    the window's length
 */
public record TaskGrowth(long fromTasks, long toTasks, long overMs) {
}
