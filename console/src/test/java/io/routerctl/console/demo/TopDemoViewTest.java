package io.routerctl.console.demo;

import io.routerctl.console.attach.AttachedTarget;
import io.routerctl.console.testing.FakeSample;
import io.routerctl.console.testing.FakeSamplesJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's top view, with a real child process and a stand-in for the full-screen top. */
class TopDemoViewTest {

    @TempDir
    Path dir;

    @Test
    void whileTopRunsTheSamplesOutputGoesOnlyToItsLogWhichIsNamedBeforeAndAfter() throws Exception {
        Path attachDir = Files.createDirectories(dir.resolve("attach"));
        Path jar = FakeSamplesJar.write(dir, FakeSample.Chatty.class);
        Path log = dir.resolve("sample.log");
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        SampleProcess sample = SampleProcess.start(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drouterctl.attach.dir=" + attachDir, "-jar", jar.toString()), out, log);
        AtomicReference<String> shownWhileTopRan = new AtomicReference<>();
        AtomicReference<Path> topSocket = new AtomicReference<>();
        try {
            Path socket = attachDir.resolve(sample.pid() + ".sock");
            try (AttachedTarget target = new AttachedTarget(socket,
                    sample.awaitAttachable(socket, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofMillis(50)))) {
                DemoView view = new TopDemoView((s, timeout, interval, olderThanMs) -> {
                    topSocket.set(s);
                    String before;
                    synchronized (out) {
                        before = text.toString();
                    }
                    // Ten more lines of the sample's chatter reach the log while "top" owns the screen.
                    long tickAtStart = lastTick(read(log));
                    awaitInLog(log, tickAtStart + 10);
                    synchronized (out) {
                        shownWhileTopRan.set(text.toString().substring(before.length()));
                    }
                    return 0;
                }, Duration.ofSeconds(5));
                int code = view.show(new DemoSession(sample, target, out, Duration.ofSeconds(1), 5_000, null));
                assertThat(code).isZero();
            }
        } finally {
            sample.close();
        }
        assertThat(topSocket.get()).isEqualTo(attachDir.resolve(sample.pid() + ".sock"));
        assertThat(shownWhileTopRan.get()).as("nothing of the sample reaches the screen while top runs").isEmpty();
        String shown = text.toString();
        assertThat(shown).contains("fake chatty sample: pid " + sample.pid())
                .contains("routerctl: opening top on pid " + sample.pid())
                .contains("the sample's output goes to " + log)
                .contains("routerctl: top closed; stopping the sample. Its output: " + log);
        assertThat(read(log)).contains("fake chatty sample: pid " + sample.pid(), "fake sample tick 10");
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static long lastTick(String log) {
        int at = log.lastIndexOf("fake sample tick ");
        if (at < 0) {
            return -1;
        }
        int end = log.indexOf('\n', at);
        return end < 0 ? -1 : Long.parseLong(log.substring(at + "fake sample tick ".length(), end));
    }

    private static void awaitInLog(Path log, long tick) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (lastTick(read(log)) < tick) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the log never reached tick " + tick + ":\n" + read(log));
            }
            LockSupport.parkNanos(10_000_000L); // poll interval
        }
    }
}
