package io.routerctl.console;

import io.routerctl.console.testing.AttachDirProperty;
import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.StuckFixture;
import io.routerctl.probes.attach.AttachServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * dump-stuck's adaptive rule, on a frozen clock: auth normally takes 2 ms, so one request waiting
 * on it for 1.5 s is stuck by the adaptive rule (past max(1 s, 10 x p99)) though far below the
 * 5 s threshold, and --no-adaptive leaves only the threshold.
 */
class DumpStuckAdaptiveTest {

    @TempDir
    Path attachDir;

    private AttachDirProperty property;
    private AttachServer server;
    private Cli cli;

    @BeforeEach
    void startTarget() throws Exception {
        property = new AttachDirProperty(attachDir);
        StuckFixture fixture = new StuckFixture();
        for (int i = 0; i < 150; i++) {
            fixture.requestAuthenticatedAfter(30_000 + i, Duration.ofMillis(2));
        }
        fixture.requestWaitingOnAuth(40001);
        fixture.advance(Duration.ofMillis(1_500));
        server = AttachServer.start(fixture.registry(), "test-router");
        cli = new Cli(attachDir);
    }

    @AfterEach
    void stopTarget() {
        if (server != null) {
            server.close();
        }
        property.close();
    }

    @Test
    void aWaitFarPastItsPointsHistoryIsStuckByTheAdaptiveRuleAndSaysSo() {
        Cli.Result r = cli.run("dump-stuck", "--timeout", "20s");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow()).contains("RULE");
        assertThat(r.out()).contains("127.0.0.1:40001").contains("adaptive")
                .containsPattern("1 request waiting on auth \\(StuckFixture\\.java:\\d+\\) after auth-requested; "
                        + "p99 of auth is [0-9.]+ms, oldest wait 1\\.5s");
    }

    @Test
    void noAdaptiveLeavesOnlyTheThreshold() {
        Cli.Result r = cli.run("dump-stuck", "--no-adaptive", "--timeout", "20s");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("No stuck tasks (in flight 1, threshold 5s).");
    }
}
