/**
 * What every command may ask of its surroundings and how it fails: the
 * {@link io.routerctl.console.context.ConsoleContext} (attach directory, default target, document
 * and connection sinks, the {@link io.routerctl.console.context.CommandRunner}), the
 * {@link io.routerctl.console.context.ExitCode}s scripts rely on, the
 * {@link io.routerctl.console.context.CommandException} behind them, and the readable phrasing of
 * usage problems. The bottom layer of the console: it uses no other console package.
 */
package io.routerctl.console.context;
