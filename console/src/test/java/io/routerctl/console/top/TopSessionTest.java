package io.routerctl.console.top;

import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.snapshot.TaskKind;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The session end to end against a fake target the test drives: no sleeps, every wait has a deadline. */
class TopSessionTest {

    private static final String SHELL_LINE = "user@host:~$ routerctl top";

    private final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(80, 24));
    private final ScreenWatcher watcher = new ScreenWatcher(terminal);
    private final RecordingHooks hooks = new RecordingHooks();
    private final FakeTarget target = new FakeTarget();
    private final FakeTarget.Connection first = new FakeTarget.Connection(Fixtures.target());
    private CompletableFuture<Integer> exit;

    @AfterEach
    void quitIfStillRunning() throws Exception {
        if (exit != null && !exit.isDone()) {
            terminal.addInput(Keys.CTRL_C);
            exit.get(10, TimeUnit.SECONDS);
        }
    }

    private void start() {
        terminal.putString(SHELL_LINE);
        TopSession session = new TopSession(terminal, target,
                new TopSettings(Duration.ofSeconds(1), 5_000, null, 200, 2_000), Theme.colour(), hooks,
                attempt -> 0, watcher);
        exit = new CompletableFuture<>();
        Thread ui = new Thread(() -> {
            try {
                exit.complete(session.run(first));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "test-top-ui");
        ui.start();
    }

    private void type(KeyStroke... keys) {
        for (KeyStroke k : keys) {
            terminal.addInput(k);
        }
    }

    private int awaitExit() throws Exception {
        return exit.get(10, TimeUnit.SECONDS);
    }

    private void assertTerminalRestored() {
        List<String> lines = VirtualScreen.lines(terminal);
        assertThat(lines.get(0)).as("the shell's screen is back").isEqualTo(SHELL_LINE);
        assertThat(String.join("\n", lines)).doesNotContain("routerctl top  ");
        assertThat(terminal.isCursorVisible()).isTrue();
        assertThat(hooks.added).hasSize(1);
        assertThat(hooks.removed).containsExactlyElementsOf(hooks.added);
    }

    @Test
    void showsTheTargetsRowsFollowsKeysToTheTargetAndQuitsRestoringTheTerminal() throws Exception {
        start();
        TaskQuery subscribed = first.nextQuery();
        assertThat(subscribed.stuckOnly()).isFalse();
        assertThat(subscribed.limit()).as("a window of rows, not everything").isEqualTo(200);
        assertThat(subscribed.sort()).isEqualTo(TaskQuery.Sort.IDLE);

        List<TaskSnapshot> tasks = Fixtures.incident();
        first.push(Fixtures.report(tasks, tasks.size()), Fixtures.loops(100, 100), 0);
        String screen = watcher.awaitText("127.0.0.1:40112");
        assertThat(screen).contains("sample-router  pid 4242", "⚠ 12 stuck: 12 waiting on auth after auth-requested");

        type(Keys.ch('s'));
        assertThat(first.nextQuery().stuckOnly()).as("stuck-only goes to the server").isTrue();
        type(Keys.ch('/'), Keys.ch('a'), Keys.ch('u'), Keys.ENTER);
        assertThat(first.nextQuery().filter()).isEqualTo("au");

        TaskSnapshot stuck = tasks.get(0);
        TaskSnapshot connection = new TaskSnapshot(2560, TaskKind.CONNECTION, null, "127.0.0.1:40112", "127.0.0.1:8080",
                "loop-0", 12_000, TaskState.RUNNING, "accepted", 12_000L, null, null, null, false, 9_900, List.of(), 0, List.of());
        first.families.put(stuck.id(), new TaskFamily(stuck, connection, List.of(), List.of()));
        type(Keys.ENTER);
        screen = watcher.awaitText("parent   connection 2560");
        assertThat(screen).contains("task 2561  request  waiting", "route-resolved", "+0.012ms");

        type(Keys.ESC, Keys.ch('q'));
        assertThat(awaitExit()).isZero();
        assertTerminalRestored();
        assertThat(first.closed).isTrue();
    }

    @Test
    void targetGoneSaysSoRetriesAndResumesWhenItIsBack() throws Exception {
        start();
        first.awaitSubscribed();
        List<TaskSnapshot> tasks = Fixtures.incident();
        first.push(Fixtures.report(tasks, tasks.size()), Fixtures.loops(100, 100), 0);
        watcher.awaitText("127.0.0.1:40112");

        first.goAway();
        String screen = watcher.awaitText("target gone: reconnecting (attempt 1)...");
        assertThat(screen).contains("connection reset by peer");
        assertThat(screen).as("the last rows stay on screen").contains("127.0.0.1:40112");

        target.outcomes.add(new AttachException("connect refused: no socket"));
        screen = watcher.awaitText("target gone: reconnecting (attempt 2)...");
        assertThat(screen).contains("connect refused");

        type(Keys.ch('s'));
        watcher.awaitText("sort SINCE ▼   stuck only");
        FakeTarget.Connection back = new FakeTarget.Connection(Fixtures.target(5151, 1_000));
        target.outcomes.add(back);
        TaskQuery resubscribed = back.nextQuery();
        assertThat(resubscribed.stuckOnly()).as("the new subscription carries what the user chose meanwhile").isTrue();

        TaskSnapshot fresh = Fixtures.stuckRequest(77, 45000, 6_000);
        back.push(Fixtures.report(List.of(fresh), 1), Fixtures.loops(5, 5), 0);
        screen = watcher.awaitText("127.0.0.1:45000");
        assertThat(screen).contains("pid 5151", "connected").doesNotContain("target gone", "127.0.0.1:40112");
        assertThat(first.closed).isTrue();
        assertThat(watcher.updatesReceived()).isEqualTo(2);

        type(Keys.ch('q'));
        assertThat(awaitExit()).isZero();
        assertTerminalRestored();
    }

    @Test
    void anErrorInsideTheSessionStillRestoresTheTerminal() throws Exception {
        watcher.failOn(2, new IllegalStateException("drawing failed"));
        start();
        first.awaitSubscribed();
        first.push(Fixtures.report(Fixtures.incident(), 42), Fixtures.loops(1, 1), 0);
        assertThatThrownBy(this::awaitExit).isInstanceOf(ExecutionException.class)
                .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("drawing failed");
        assertTerminalRestored();
        assertThat(first.closed).isTrue();
    }

    @Test
    void theShutdownHookRestoresTheTerminalOnCtrlCOrKill() throws Exception {
        start();
        first.awaitSubscribed();
        first.push(Fixtures.report(Fixtures.incident(), 42), Fixtures.loops(1, 1), 0);
        watcher.awaitText("127.0.0.1:40112");
        assertThat(VirtualScreen.lines(terminal).get(0)).startsWith("routerctl top");

        hooks.added.get(0).run();
        assertThat(VirtualScreen.lines(terminal).get(0)).isEqualTo(SHELL_LINE);
        assertThat(awaitExit()).as("the session stops drawing and returns").isZero();
        assertTerminalRestored();
    }

    /**
     * A target whose strings hold terminal control sequences: top shows them escaped in the table,
     * the detail and the loops view, and keeps running (it used to exit with an internal error).
     */
    @Test
    void controlCharactersFromTheTargetAreShownEscapedAndTopGoesOn() throws Exception {
        start();
        first.awaitSubscribed();
        first.families.put(2561L, new io.routerctl.probes.snapshot.TaskFamily(
                io.routerctl.console.testing.HostileTarget.task(), null, List.of(), List.of()));
        first.push(io.routerctl.console.testing.HostileTarget.report(),
                io.routerctl.console.testing.HostileTarget.loops(), 0);
        String table = watcher.awaitText("10.0.0.1\\e[2J");
        assertNoRawControls(table);
        type(Keys.ENTER);
        String detail = watcher.awaitText("\\rALL GOOD");
        assertNoRawControls(detail);
        type(Keys.ESC, Keys.ch('l'));
        String loops = watcher.awaitText("loop\\e]0;pwned\\x07");
        assertNoRawControls(loops);
        type(Keys.ESC, Keys.ch('q'));
        assertThat(awaitExit()).isZero();
        assertTerminalRestored();
    }

    private static void assertNoRawControls(String screen) {
        assertThat(screen.replace("\n", "")).doesNotContainPattern("[\\x00-\\x1f\\x7f-\\x9f]");
    }

    @Test
    void updatesTheTargetDroppedAreShownInTheHeader() throws Exception {
        start();
        first.awaitSubscribed();
        TaskReport report = Fixtures.report(Fixtures.incident(), 42);
        first.push(report, Fixtures.loops(1, 1), 5);
        String screen = watcher.awaitText("127.0.0.1:40112");
        assertThat(screen).contains("updates dropped 5");
    }

    @Test
    void updatesArrivingWhileTheScreenIsBusyAreReplacedByTheNewestAndCounted() throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = watcher.holdUiWhen(model -> model.updatesReceived() == 1, held);
        start();
        first.awaitSubscribed();
        first.push(Fixtures.report(List.of(Fixtures.stuckRequest(1, 50001, 6_000)), 1), Fixtures.loops(1, 1), 0);
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        first.push(Fixtures.report(List.of(Fixtures.stuckRequest(2, 50002, 6_000)), 1), Fixtures.loops(2, 2), 0);
        first.push(Fixtures.report(List.of(Fixtures.stuckRequest(3, 50003, 6_000)), 1), Fixtures.loops(3, 3), 0);
        release.countDown();
        String screen = watcher.awaitText("127.0.0.1:50003");
        assertThat(screen).contains("updates dropped 1").doesNotContain("127.0.0.1:50002");
        assertThat(watcher.updatesReceived()).isEqualTo(2);
    }

    /** Records shutdown hooks instead of giving them to the JVM. */
    static final class RecordingHooks implements TerminalRestorer.ShutdownHooks {
        final List<Thread> added = new CopyOnWriteArrayList<>();
        final List<Thread> removed = new CopyOnWriteArrayList<>();

        @Override
        public void add(Thread hook) {
            added.add(hook);
        }

        @Override
        public void remove(Thread hook) {
            removed.add(hook);
        }
    }
}
