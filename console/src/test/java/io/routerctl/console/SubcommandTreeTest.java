package io.routerctl.console;

import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command line that names a subcommand builds only that one; these check that the short cut
 * cannot change what a user sees.
 */
class SubcommandTreeTest {

    @TempDir
    Path attachDir;

    @Test
    void eachListedNameIsTheNameItsCommandAnswersTo() {
        ConsoleContext context = ConsoleContext.withAttachDir(attachDir);
        for (Routerctl.Subcommand s : Routerctl.SUBCOMMANDS) {
            assertThat(new CommandLine(s.make().apply(context).spec()).getCommandName()).as(s.name()).isEqualTo(s.name());
        }
        assertThat(Routerctl.commandLine(context).getSubcommands().keySet())
                .containsExactlyElementsOf(Routerctl.SUBCOMMANDS.stream().map(Routerctl.Subcommand::name)
                        .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), l -> {
                            l.add("help");
                            return l;
                        })));
    }

    @Test
    void aUsageErrorInOneCommandReadsAsWithTheWholeTree() {
        Cli.Result r = new Cli(attachDir).run("dump-stuck", "--older-than", "soon");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("routerctl dump-stuck: ").contains("(see routerctl dump-stuck --help)");
    }

    @Test
    void aMistypedCommandStillGetsSuggestionsFromTheWholeTree() {
        Cli.Result r = new Cli(attachDir).run("dump-stuk");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("dump-stuck");
    }
}
