package io.routerctl.console.top;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.attach.AttachServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Top over the real attach socket: a registry served by the attach server in this JVM. */
class AttachedTopTest {

    private static final ProbePoint REQUEST_READ = ProbePoint.step("request-read");
    private static final ProbePoint ROUTE_RESOLVED = ProbePoint.step("route-resolved");
    private static final ProbePoint AUTH_REQUESTED = ProbePoint.step("auth-requested");
    private static final ProbePoint AUTH = ProbePoint.await("auth");

    @TempDir
    Path dir;

    private AttachServer server;
    private final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(120, 30));
    private CompletableFuture<Integer> exit;

    @AfterEach
    void stop() throws Exception {
        if (exit != null && !exit.isDone()) {
            terminal.addInput(Keys.CTRL_C);
            exit.get(10, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    private TaskRegistry registry;
    private Path socket;

    /** A request from 127.0.0.1:40112 waiting on auth for 9 s, served on the attach socket; top running on it. */
    private ScreenWatcher startTop() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        registry = new TaskRegistry(now::get, true);
        TaskShard shard = registry.newShard("loop-0");
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40112);
        long connection = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, remote, local);
        long request = shard.register(TaskKind.REQUEST, connection, remote, local);
        shard.step(request, REQUEST_READ);
        shard.idle(connection);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(12));
        shard.step(request, ROUTE_RESOLVED);
        shard.step(request, AUTH_REQUESTED);
        shard.await(request, AUTH);
        now.addAndGet(TimeUnit.SECONDS.toNanos(9));

        socket = dir.resolve(ProcessHandle.current().pid() + ".sock");
        server = AttachServer.builder(registry).name("sample-router").socket(socket).start();
        AttachTopConnector connector = AttachTopConnector.forSocket(socket, Duration.ofSeconds(15));
        ScreenWatcher watcher = new ScreenWatcher(terminal);
        TopSession session = new TopSession(terminal, connector,
                new TopSettings(Duration.ofMillis(200), 5_000, null, 200, 2_000), Theme.colour(),
                new TopSessionTest.RecordingHooks(), attempt -> 50, watcher);
        TopConnection first = connector.connect();
        exit = CompletableFuture.supplyAsync(() -> {
            try {
                return session.run(first);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        return watcher;
    }

    @Test
    void stuckRowsDetailAndReconnectOverTheAttachSocket() throws Exception {
        ScreenWatcher watcher = startTop();
        String screen = watcher.awaitText("127.0.0.1:40112");
        assertThat(screen).contains("sample-router  pid " + ProcessHandle.current().pid(), "stuck 1",
                "⚠ 1 stuck: 1 waiting on auth after auth-requested (oldest 9s)");
        assertThat(screen).containsPattern("! +\\d+ request +127\\.0\\.0\\.1:40112 +loop-0 +waiting +9s auth-requested +9s auth +stuck");

        terminal.addInput(Keys.ch('s'));
        watcher.await("only the stuck request", t -> t.contains("rows 1-1 of 1") && !t.contains("updating..."));
        terminal.addInput(Keys.ENTER);
        screen = watcher.awaitText("parent   connection");
        assertThat(screen).contains("remote   127.0.0.1:40112", "waiting  on auth for 9s");
        assertThat(screen).containsPattern("0\\.000ms  request-read");
        assertThat(screen).containsPattern("12\\.0ms  route-resolved +\\+12\\.0ms");
        terminal.addInput(Keys.ESC);
        watcher.awaitText("SINCE▼");

        server.close();
        screen = watcher.awaitText("target gone: reconnecting");
        assertThat(screen).contains("127.0.0.1:40112");
        server = AttachServer.builder(registry).name("sample-router").socket(socket).start();
        screen = watcher.await("the target back", s -> s.contains("connected") && !s.contains("target gone"));
        assertThat(screen).contains("127.0.0.1:40112");

        terminal.addInput(Keys.ch('q'));
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aFilterThatWouldRunForMinutesIsDroppedWithANoticeAndTopGoesOn() throws Exception {
        ScreenWatcher watcher = startTop();
        watcher.awaitText("127.0.0.1:40112");

        terminal.addInput(Keys.ch('/'));
        for (char c : ("(.*)".repeat(16) + "Z").toCharArray()) {
            terminal.addInput(Keys.ch(c));
        }
        terminal.addInput(Keys.ENTER);

        String screen = watcher.awaitText("filter dropped:");
        assertThat(screen).contains("needed more than 2000ms");
        screen = watcher.await("rows again, unfiltered", t -> t.contains("127.0.0.1:40112") && !t.contains("updating..."));
        assertThat(screen).contains("stuck 1");
        terminal.addInput(Keys.ch('q'));
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }
}
