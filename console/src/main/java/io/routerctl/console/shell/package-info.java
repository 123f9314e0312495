/**
 * {@code routerctl shell}: an interactive prompt (JLine) that runs routerctl's commands against an
 * attached target, with completion of commands, options and the target's task ids and probe
 * points, persistent history, and Ctrl-C that cancels the running command, not the shell.
 */
package io.routerctl.console.shell;
