/**
 * The {@code routerctl} command line: {@link io.routerctl.console.Routerctl} is the jar's main and
 * builds the one command set the shell and playbooks reuse; {@link io.routerctl.console.ExitCode}
 * holds the exit codes scripts rely on.
 *
 * <p>Sub-packages: {@code command} (one class per subcommand), {@code attach} (choosing and
 * reaching a target), {@code render} (text shared by every front end), {@code json} (the
 * {@code --json} documents), {@code demo} (the sample process the demo runs).
 */
package io.routerctl.console;
