package io.routerctl.console;

import io.routerctl.console.context.ExitCode;
import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.FakeSample;
import io.routerctl.console.testing.FakeSamplesJar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** demo with a real child JVM standing in for the samples jar. */
class DemoCommandTest {

    @TempDir
    Path attachDir;
    @TempDir
    Path jarDir;

    private String previousJar = System.getProperty("routerctl.samples.jar");

    @AfterEach
    void restoreJarProperty() {
        if (previousJar == null) {
            System.clearProperty("routerctl.samples.jar");
        } else {
            System.setProperty("routerctl.samples.jar", previousJar);
        }
    }

    private Cli.Result demo(Class<?> sample, String... args) throws Exception {
        System.setProperty("routerctl.samples.jar", FakeSamplesJar.write(jarDir, sample).toString());
        String[] full = new String[args.length + 1];
        full[0] = "demo";
        System.arraycopy(args, 0, full, 1, args.length);
        return new Cli(attachDir).run(full);
    }

    @Test
    void passesTheStartupBlockThroughThenPrintsWhatItSeesAndStopsTheSample() throws Exception {
        Cli.Result r = demo(FakeSample.class, "--no-top", "--for", "1200ms", "--interval", "400ms", "--rate", "7",
                "--auth-adapter", "fixed");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("args demo --watch-parent --rate 7 --auth-adapter fixed");
        assertThat(r.out()).contains("attach socket: " + attachDir);
        assertThat(r.out()).contains("\nrouterctl sees: in flight 2 | stuck 2: 2 waiting on auth after auth-requested (oldest 9.8s)\n");
        Matcher pid = Pattern.compile("fake sample router: pid (\\d+)").matcher(r.out());
        assertThat(pid.find()).isTrue();
        assertThat(ProcessHandle.of(Long.parseLong(pid.group(1))).map(ProcessHandle::isAlive).orElse(false))
                .as("the sample is stopped when demo ends").isFalse();
    }

    @Test
    void aSampleThatDiesAtStartupIsReportedWithItsExitCode() throws Exception {
        Cli.Result r = demo(FakeSample.FailsAtStartup.class);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CANNOT_ATTACH);
        assertThat(r.out()).contains("fake sample: cannot bind port 8080");
        assertThat(r.err()).isEqualTo("routerctl demo: the sample exited with code 7 before its attach socket "
                + "answered (its output is above)\n");
    }

    @Test
    void aSampleThatNeverBecomesAttachableHitsTheStartupDeadline() throws Exception {
        Cli.Result r = demo(FakeSample.NeverAttachable.class, "--startup-timeout", "1s");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.CANNOT_ATTACH);
        assertThat(r.err()).startsWith("routerctl demo: the sample's attach socket " + attachDir)
                .contains("did not answer within 1s");
        try (var files = Files.list(attachDir)) {
            assertThat(files).as("nothing left behind").isEmpty();
        }
    }
}
