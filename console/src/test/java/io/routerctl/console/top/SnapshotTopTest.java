package io.routerctl.console.top;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.routerctl.console.source.SnapshotSource;
import io.routerctl.console.testing.Cli;
import io.routerctl.console.testing.InProcessTarget;
import io.routerctl.console.testing.StuckFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code top --from FILE}: a snapshot written by a target, shown frozen after the target is gone. */
class SnapshotTopTest {

    @TempDir
    Path attachDir;
    @TempDir
    Path work;

    private final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(110, 30));
    private CompletableFuture<Integer> exit;

    @AfterEach
    void stop() throws Exception {
        if (exit != null && !exit.isDone()) {
            terminal.addInput(Keys.CTRL_C);
            exit.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSnapshotShowsItsStuckRowsAndTheirDetailFrozen() throws Exception {
        StuckFixture fixture = new StuckFixture();
        long first = fixture.requestWaitingOnAuth(40001);
        fixture.advance(Duration.ofMillis(400));
        fixture.requestWaitingOnAuth(40002);
        fixture.advance(Duration.ofMillis(12_000));
        fixture.requestAfterRoute(40100);
        fixture.advance(Duration.ofMillis(100));
        Path file = work.resolve("s.json");
        try (InProcessTarget target = new InProcessTarget(attachDir, fixture.registry())) {
            Cli.Result r = target.run("snapshot", "-o", file.toString());
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        // The target is gone: everything below comes from the file.

        SnapshotTopConnector connector = new SnapshotTopConnector(SnapshotSource.open(file));
        ScreenWatcher watcher = new ScreenWatcher(terminal);
        TopSession session = new TopSession(terminal, connector,
                new TopSettings(Duration.ofMillis(200), 5_000, null, 200, 2_000), Theme.colour(),
                new TopSessionTest.RecordingHooks(), attempt -> 50, watcher);
        TopConnection connection = connector.connect();
        exit = CompletableFuture.supplyAsync(() -> {
            try {
                return session.run(connection);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });

        String screen = watcher.await("both stuck requests", s -> s.contains("127.0.0.1:40001") && s.contains("127.0.0.1:40002"));
        assertThat(screen).contains("test-router  pid " + ProcessHandle.current().pid(), "snapshot s.json taken ",
                "stuck 2", "⚠ 2 stuck: 2 waiting on auth after auth-requested (oldest 12.5s)");
        assertThat(screen).doesNotContain("connected", "reconnecting");
        assertThat(screen).containsPattern("! +\\d+ request +127\\.0\\.0\\.1:40001 +loop-0 +waiting +12\\.5s");

        terminal.addInput(Keys.ch('s'));
        watcher.await("only the stuck requests", t -> t.contains("rows 1-2 of 2") && !t.contains("40100"));
        terminal.addInput(Keys.ENTER);
        screen = watcher.awaitText("parent   connection");
        assertThat(screen).contains("remote   127.0.0.1:40001", "waiting  on auth for 12.5s");
        assertThat(screen).contains("task " + fixture.id(first) + "  request  waiting");

        terminal.addInput(Keys.ESC);
        watcher.awaitText("SINCE▼");
        terminal.addInput(Keys.ch('q'));
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }
}
