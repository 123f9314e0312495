package io.routerctl.console;

import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.InProcessTarget;
import io.routerctl.console.testing.StuckFixture;
import io.routerctl.probes.snapshot.Warning;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * play runs each stock playbook through routerctl's own commands against an in-process target:
 * a stuck one (three requests waiting on auth for 12.5s on a frozen clock, one carrying a
 * lost-wakeup warning) or a healthy one (one request that resolved its route 100ms ago).
 */
class PlayCommandTest {

    @TempDir
    Path attachDir;
    @TempDir
    Path work;

    private InProcessTarget target;

    private void stuckTarget() throws IOException {
        StuckFixture fixture = new StuckFixture();
        long first = fixture.requestWaitingOnAuth(40001);
        fixture.shard().warn(first, Warning.LOST_WAKEUP.bit());
        fixture.advance(Duration.ofMillis(400));
        fixture.requestWaitingOnAuth(40002);
        fixture.requestWaitingOnAuth(40003);
        fixture.advance(Duration.ofMillis(12_100));
        target = new InProcessTarget(attachDir, fixture.registry());
    }

    private void healthyTarget() throws IOException {
        StuckFixture fixture = new StuckFixture();
        fixture.requestAfterRoute(40100);
        fixture.advance(Duration.ofMillis(100));
        target = new InProcessTarget(attachDir, fixture.registry());
    }

    @AfterEach
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    private Cli.Result play(String playbook, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "play";
        args[1] = playbook;
        args[2] = "--out";
        args[3] = work.resolve("bundle").toString();
        System.arraycopy(more, 0, args, 4, more.length);
        return target.run(args);
    }

    private String report() throws IOException {
        return Files.readString(work.resolve("bundle").resolve("report.md"));
    }

    @Test
    void hungRequestsFindsThePersistentHangsAndExitsOne() throws IOException {
        stuckTarget();
        Cli.Result r = play("hung-requests", "--var", "interval=10ms");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        String report = report();
        assertThat(report).contains("3 requests waiting on auth (" + StuckFixture.AUTH.location() + ") after auth-requested;", "oldest wait 12.5s");
        assertThat(report).contains("persistent.count == 0");
        assertThat(report).contains("FAILED");
        assertThat(work.resolve("bundle").resolve("snapshot-1.json")).exists();
        assertThat(work.resolve("bundle").resolve("snapshot-3.json")).exists();
    }

    @Test
    void hungRequestsOnAHealthyTargetExitsZero() throws IOException {
        healthyTarget();
        Cli.Result r = play("hung-requests", "--var", "interval=10ms");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(report()).contains("held");
    }

    @Test
    void incidentBundleSavesEverythingAndExitsOneWhenStuck() throws IOException {
        stuckTarget();
        Cli.Result r = play("incident-bundle");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(work.resolve("bundle").resolve("snapshot.json")).exists();
        assertThat(report()).contains("3 requests waiting on auth (" + StuckFixture.AUTH.location() + ") after auth-requested;", "oldest wait 12.5s");
        assertThat(report()).contains("pid " + ProcessHandle.current().pid() + " (test-router)");
    }

    @Test
    void lostWakeupsFailsOnTheWarnedTask() throws IOException {
        stuckTarget();
        Cli.Result r = play("lost-wakeups");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(report()).contains("stuck.where(warnings=lost-wakeup).count == 0");
    }

    @Test
    void blockedLoopWithoutItsDetectorSaysSoAndExitsTwo() throws IOException {
        stuckTarget();
        Cli.Result r = play("blocked-loop");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("blocked-loop");
    }

    @Test
    void unreachableTargetExitsThree() throws IOException {
        healthyTarget();
        Cli.Result r = play("hung-requests", "--pid", "999999999");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.err()).startsWith("routerctl play: ");
    }

    @Test
    void dryRunPrintsThePlanWithoutATarget() {
        Cli.Result r = new Cli(attachDir).run("play", "incident-bundle", "--dry-run");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("dump-stuck --older-than 5s --limit 10000");
    }

    @Test
    void aPlaybookWithAWrongOptionFailsBeforeAnythingRuns() throws IOException {
        healthyTarget();
        Path file = work.resolve("bad.playbook");
        Files.writeString(file, "dump-stuck --older-than 5s\nloops --olderthan 5s\n");
        Cli.Result r = play(file.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("bad.playbook:2:").contains("--olderthan");
        assertThat(work.resolve("bundle")).doesNotExist();
    }
}
