/**
 * Playbooks on top of routerctl's own command set: the {@link io.routerctl.playbooks.CommandExecutor}
 * that runs each playbook command in-process against one target, as the command line would.
 */
package io.routerctl.console.play;
