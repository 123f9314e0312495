/**
 * The {@code routerctl} command line: {@link io.routerctl.console.Routerctl} is the jar's main and
 * assembles the one command set; it hands the front ends inside the console (the shell, playbooks,
 * the demo) a {@link io.routerctl.console.context.CommandRunner} through the context, so that they
 * run the same commands with the same exit codes without depending on it.
 *
 * <h2>Layers</h2>
 * Each package uses only those below it (a test, {@code LayeringTest}, keeps it so):
 * <ol>
 *   <li>{@code context}: what every command may ask of its surroundings, the exit codes, the
 *       usage and command errors, the command runner, the duration option converter;</li>
 *   <li>{@code render}: text shared by every front end (tables, durations, the diagnosis sentences);</li>
 *   <li>{@code attach}: choosing and reaching a target;</li>
 *   <li>{@code json}: the {@code --json} documents;</li>
 *   <li>{@code source}: what read commands read, a live target or a snapshot file;</li>
 *   <li>{@code top}, {@code shell}, {@code play}, {@code demo}: the front ends;</li>
 *   <li>{@code command}: one class per subcommand;</li>
 *   <li>this package: the entry point.</li>
 * </ol>
 */
package io.routerctl.console;
