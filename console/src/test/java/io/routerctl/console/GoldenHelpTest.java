package io.routerctl.console;

import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.testing.Cli;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every command's {@code --help} is checked against {@code src/test/resources/golden/<command>.txt},
 * so a change to the help text is a visible change to a file. Regenerate after an intended change:
 * {@code mvn -B -q -pl console -am test -Dtest=GoldenHelpTest -Drouterctl.golden.update=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
class GoldenHelpTest {

    static final String UPDATE_PROPERTY = "routerctl.golden.update";
    static final Path GOLDEN_DIR = Path.of("src/test/resources/golden");

    @TempDir
    Path attachDir;

    /** The top level ("") and every subcommand but {@code help}: a new command is covered without being listed here. */
    static Stream<String> commands() {
        List<String> names = new ArrayList<>();
        names.add("");
        Routerctl.commandLine(ConsoleContext.withAttachDir(Path.of("/nonexistent"))).getSubcommands().keySet().stream()
                .filter(n -> !n.equals("help"))
                .forEach(names::add);
        return names.stream();
    }

    @ParameterizedTest(name = "routerctl {0} --help")
    @MethodSource("commands")
    void helpMatchesGolden(String command) throws IOException {
        Cli.Result r = command.isEmpty() ? new Cli(attachDir).run("--help") : new Cli(attachDir).run(command, "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).isEmpty();
        Path golden = GOLDEN_DIR.resolve((command.isEmpty() ? "routerctl" : command) + ".txt");
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(GOLDEN_DIR);
            Files.writeString(golden, r.out(), StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(golden)) {
            fail("no golden file " + golden.toAbsolutePath() + "; " + howToRegenerate());
        }
        String expected = Files.readString(golden, StandardCharsets.UTF_8);
        if (!expected.equals(r.out())) {
            fail("routerctl " + command + " --help drifted from " + golden + ".\nIf the change is intended, "
                    + howToRegenerate() + "\n--- expected ---\n" + expected + "--- actual ---\n" + r.out());
        }
    }

    static String howToRegenerate() {
        return "regenerate with: mvn -B -q -pl console -am test -Dtest=GoldenHelpTest -D" + UPDATE_PROPERTY
                + "=true -Dsurefire.failIfNoSpecifiedTests=false (then review the diff, and README.md's usage block)";
    }
}
