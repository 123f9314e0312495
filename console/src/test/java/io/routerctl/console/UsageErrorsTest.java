package io.routerctl.console;

import io.routerctl.console.context.ExitCode;
import io.routerctl.console.testing.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage errors: exit 2 and one line, {@code routerctl <command>: <what is wrong>}, before attaching anywhere. */
class UsageErrorsTest {

    @TempDir
    Path attachDir;

    private Cli.Result run(String... args) {
        return new Cli(attachDir).run(args);
    }

    private static void assertOneLineUsageError(Cli.Result r, String prefix, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(r.out()).as(r.toString()).isEmpty();
        assertThat(r.err().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).startsWith(prefix + ": ");
        for (String f : fragments) {
            assertThat(r.err()).contains(f);
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertOneLineUsageError(run("dump-stuck", "--bogus"), "routerctl dump-stuck",
                "unknown option '--bogus'", "routerctl dump-stuck --help");
    }

    @Test
    void unknownCommandIsAUsageErrorPointingAtHelp() {
        assertOneLineUsageError(run("dump-stuk"), "routerctl", "unknown command 'dump-stuk'", "routerctl --help");
    }

    @Test
    void badDurationNamesTheOptionAndTheExpectedForm() {
        assertOneLineUsageError(run("dump-stuck", "--older-than", "5x"), "routerctl dump-stuck",
                "--older-than", "'5x'", "500ms");
    }

    @Test
    void durationWithoutUnitIsAUsageError() {
        assertOneLineUsageError(run("dump-stuck", "--older-than", "5"), "routerctl dump-stuck", "missing unit");
    }

    @Test
    void pidAndSocketTogetherIsAUsageError() {
        assertOneLineUsageError(run("dump-stuck", "--pid", "42", "--socket", "/tmp/x.sock"), "routerctl dump-stuck",
                "--pid, --socket and --name each choose the target; give one");
    }

    @Test
    void limitOutOfRangeIsAUsageError() {
        assertOneLineUsageError(run("dump-stuck", "--limit", "0"), "routerctl dump-stuck", "--limit must be between 1 and 10000");
        assertOneLineUsageError(run("dump-stuck", "--limit", "10001"), "routerctl dump-stuck", "got 10001");
    }

    @Test
    void nonNumericPidIsAUsageError() {
        assertOneLineUsageError(run("dump-stuck", "--pid", "abc"), "routerctl dump-stuck", "--pid", "abc");
    }

    @Test
    void badListTimeoutIsAUsageError() {
        assertOneLineUsageError(run("list", "--timeout", "soon"), "routerctl list", "--timeout");
    }

    @Test
    void zeroTimeoutIsAUsageError() {
        assertOneLineUsageError(run("list", "--timeout", "0"), "routerctl list", "--timeout must be more than 0");
        assertOneLineUsageError(run("dump-stuck", "--timeout", "0"), "routerctl dump-stuck", "--timeout must be more than 0");
    }

    @Test
    void strayArgumentIsAUsageError() {
        assertOneLineUsageError(run("dump-stuck", "extra"), "routerctl dump-stuck", "unexpected argument 'extra'");
    }

    @Test
    void aMissingParameterIsAUsageErrorNamingIt() {
        assertOneLineUsageError(run("attach", "--no-sites"), "routerctl attach", "missing required parameter: 'PID'");
        assertOneLineUsageError(run("task", "--json"), "routerctl task", "missing required parameter: 'ID'");
        assertOneLineUsageError(run("diff"), "routerctl diff", "missing required parameters: 'A', 'B'");
        assertOneLineUsageError(run("play", "--dry-run"), "routerctl play", "missing required parameter: 'FILE|NAME'");
        assertOneLineUsageError(run("completion"), "routerctl completion", "missing required parameter: 'SHELL'");
    }

    @Test
    void anOptionWithoutItsValueIsAUsageError() {
        assertOneLineUsageError(run("dump-stuck", "--limit"), "routerctl dump-stuck", "--limit");
        assertOneLineUsageError(run("detach", "1", "--timeout"), "routerctl detach", "--timeout");
    }

    @Test
    void demoRejectsAnUnknownAuthAdapter() {
        assertOneLineUsageError(run("demo", "--auth-adapter", "sloppy"), "routerctl demo", "buggy or fixed");
    }

    @Test
    void noCommandPrintsUsageAsAUsageError() {
        Cli.Result r = run();
        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).startsWith("Usage: routerctl").contains("dump-stuck");
    }

    @Test
    void versionPrintsTheVersionAndExitsZero() {
        Cli.Result r = run("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("routerctl ").contains("Java ")
                .containsPattern("^routerctl [^,]+, commit ([0-9a-f]{10}( \\(modified\\))?|unknown)\n");
        String head = headCommit();
        if (head != null) {
            assertThat(r.out()).as("the commit the build was made from").contains(", commit " + head);
        }
    }

    /** The checkout's commit, abbreviated as the build does, or null outside a git checkout. */
    private static String headCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short=10", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 && out.matches("[0-9a-f]{10}") ? out : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Test
    void pidWithoutSocketInTheAttachDirectoryCannotAttach() {
        Cli.Result r = run("dump-stuck", "--pid", "999999999");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CANNOT_ATTACH);
        assertThat(r.err()).isEqualTo("routerctl dump-stuck: no attach socket for pid 999999999 in " + attachDir
                + " (is it running with routerctl probes? see routerctl list)\n");
    }

    @Test
    void missingSocketPathCannotAttach() {
        Cli.Result r = run("dump-stuck", "--socket", attachDir.resolve("nobody.sock").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CANNOT_ATTACH);
        assertThat(r.err()).startsWith("routerctl dump-stuck: cannot attach to " + attachDir.resolve("nobody.sock"));
        assertThat(r.err().lines()).hasSize(1);
    }

    @Test
    void demoWithoutSamplesJarSaysWhereItLookedAndHowToBuild() {
        String previous = System.getProperty("routerctl.samples.jar");
        System.setProperty("routerctl.samples.jar", attachDir.resolve("missing.jar").toString());
        try {
            Cli.Result r = run("demo");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(r.err()).startsWith("routerctl demo: no samples jar at " + attachDir.resolve("missing.jar"))
                    .contains("mvn -B -DskipTests package");
        } finally {
            if (previous == null) {
                System.clearProperty("routerctl.samples.jar");
            } else {
                System.setProperty("routerctl.samples.jar", previous);
            }
        }
    }
}
