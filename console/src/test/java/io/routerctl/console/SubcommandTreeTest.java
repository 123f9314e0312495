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
        for (String name : Routerctl.SUBCOMMANDS) {
            assertThat(new CommandLine(Routerctl.make(name, context).spec()).getCommandName()).as(name).isEqualTo(name);
        }
        java.util.List<String> listed = new java.util.ArrayList<>(Routerctl.SUBCOMMANDS);
        listed.add("help");
        assertThat(Routerctl.commandLine(context).getSubcommands().keySet()).containsExactlyElementsOf(listed);
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
