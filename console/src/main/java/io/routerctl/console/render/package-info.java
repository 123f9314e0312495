/**
 * Text rendering shared by every front end (the command line, {@code top}, the shell and playbook
 * reports): durations, aligned tables, the stuck-task table and the sentences that state a
 * diagnosis ("37 requests stuck after route-resolved, waiting on auth (oldest 12.4s)").
 *
 * <p>Everything here is a pure function of snapshot records: no I/O, no clock, no terminal. The
 * classes are stateless and safe from any thread unless their javadoc says otherwise.
 */
package io.routerctl.console.render;
