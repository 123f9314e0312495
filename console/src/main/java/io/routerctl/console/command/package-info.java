/**
 * The routerctl subcommands, one class per command over {@link io.routerctl.console.command.RouterctlCommand}.
 *
 * <h2>Adding a command</h2>
 * Write a class extending {@code RouterctlCommand} that passes its name, description and examples
 * footer to the constructor and declares its options as fields, in help's order, with
 * {@code option(...)}, {@code flag(...)} and {@code positional(...)} (picocli's programmatic API, not its
 * annotations: see {@link io.routerctl.console.context.Arg}); add
 * {@code new TargetOptions(spec)} ({@link io.routerctl.console.attach.TargetOptions}) if it attaches, or
 * {@code new SourceOptions(spec)} ({@link io.routerctl.console.source.SourceOptions}) if it reads (a
 * live target or {@code --from FILE});
 * print data with {@code emit(json, text, document)} so playbooks get text and JSON from one run;
 * implement {@code execute()}
 * returning an {@link io.routerctl.console.context.ExitCode}; add it to
 * {@code Routerctl.SUBCOMMANDS} and {@code Routerctl.make}; add its golden help file (the golden test says
 * how to generate it) and a line in docs/cli.md.
 */
package io.routerctl.console.command;
