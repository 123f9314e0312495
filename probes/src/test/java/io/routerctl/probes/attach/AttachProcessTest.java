package io.routerctl.probes.attach;

import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real target processes: discovery by pid, attach, and what is left of them after they exit. */
class AttachProcessTest {

    @TempDir
    Path tmp;
    final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process startChild(Path dir) throws IOException {
        return startChild(dir, List.of());
    }

    /** A {@link ChildTarget} with extra JVM options, then {@code args}. */
    private Process startChild(Path dir, List<String> jvmOptions, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-D" + AttachDirectory.DIR_PROPERTY + "=" + dir));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildTarget.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        children.add(p);
        return p;
    }

    private static String awaitReady(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(line).as("child's ready line").startsWith("ready ");
        return line.substring("ready ".length());
    }

    @Test
    void aTargetIsFoundByPidAnsweredAndCleanedUpWhetherItExitsOrIsKilled() throws Exception {
        Path dir = tmp.resolve("attach");
        Process exiting = startChild(dir);
        Process killed = startChild(dir);
        Path exitingSocket = Path.of(awaitReady(exiting));
        Path killedSocket = Path.of(awaitReady(killed));

        assertThat(exitingSocket).isEqualTo(dir.resolve(exiting.pid() + ".sock"));
        assertThat(AttachDirectory.targets(dir)).extracting(AttachTarget::pid)
                .containsExactlyInAnyOrder(exiting.pid(), killed.pid());

        try (AttachClient client = AttachClient.connect(exitingSocket, Duration.ofSeconds(10))) {
            assertThat(client.target().pid()).isEqualTo(exiting.pid());
            assertThat(client.target().name()).isEqualTo("child-target");
            TaskReport stuck = client.query(TaskQuery.stuck(0, 10));
            assertThat(stuck.tasks()).singleElement().satisfies(t -> {
                assertThat(t.remote()).isEqualTo("127.0.0.1:40999");
                assertThat(t.waitingOn()).isEqualTo("auth");
                assertThat(t.lastStep()).isEqualTo("route-resolved");
            });
        }

        exiting.getOutputStream().close();
        assertThat(exiting.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(exiting.exitValue()).isZero();
        assertThat(exitingSocket).as("removed by the shutdown hook").doesNotExist();

        killed.destroyForcibly();
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(killedSocket).as("a killed process leaves its socket").exists();
        assertThat(AttachDirectory.targets(dir)).isEmpty();
        assertThat(killedSocket).as("removed as stale").doesNotExist();
    }

    @Test
    void gcCollectsAndProvesALostWakeUpWhereSystemGcIsSwitchedOff() throws Exception {
        Path dir = tmp.resolve("attach");
        Process child = startChild(dir, List.of("-XX:+DisableExplicitGC", "-XX:+UseSerialGC"), "lost-wakeup");
        Path socket = Path.of(awaitReady(child));

        try (AttachClient client = AttachClient.connect(socket, Duration.ofSeconds(10))) {
            GcResult gc = client.collectLostWakeups();
            assertThat(gc.collected()).as("the collectors counted a collection").isTrue();
            assertThat(gc.lostWakeupsFound()).isEqualTo(1);
            assertThat(gc.ageMs()).isZero();

            GcResult again = client.collectLostWakeups();
            assertThat(again.ageMs()).as("within the minimum interval: the last result, not a new collection")
                    .isPositive();
            assertThat(again.lostWakeupsFound()).isEqualTo(1);
        }
    }
}
