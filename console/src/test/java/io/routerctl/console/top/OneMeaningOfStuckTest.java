package io.routerctl.console.top;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.routerctl.console.Routerctl;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.attach.AttachServer;
import io.routerctl.probes.snapshot.TaskKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One meaning of "stuck" on every screen: at the same moment, on the same requests, top's header,
 * its stuck-only table, dump-stuck, loops and each task's detail agree, with the defaults and with
 * {@code --no-adaptive}. The registry holds a request stuck by {@code --older-than} (9 s without
 * progress) and one stuck only by the adaptive rule (2 s on a wait whose p99 is 1 ms).
 */
@io.routerctl.probes.testing.AllowPendingTasks("the stuck requests are what every screen must agree on")
class OneMeaningOfStuckTest {

    private static final ProbePoint AUTH = ProbePoint.await("auth");
    private static final ProbePoint QUOTA = ProbePoint.await("quota");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private AttachServer server;
    private CompletableFuture<Integer> exit;
    private final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(160, 30));
    private long slowByHistory;
    private long slowByClock;

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

    private Path serve() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        TaskRegistry registry = new TaskRegistry(now::get, true);
        TaskShard shard = registry.newShard("loop-0");
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
        // 150 quick waits on quota (1 ms each): its p99 is 1 ms, so the adaptive rule calls 1 s stuck.
        for (int i = 0; i < 150; i++) {
            long r = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, new InetSocketAddress(local.getAddress(), 30000 + i), local);
            shard.await(r, QUOTA);
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
            shard.resume(r);
            shard.finish(r, io.routerctl.probes.snapshot.TaskState.DONE);
        }
        slowByClock = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, new InetSocketAddress(local.getAddress(), 40001), local);
        shard.await(slowByClock, AUTH);
        now.addAndGet(TimeUnit.SECONDS.toNanos(7));
        slowByHistory = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, new InetSocketAddress(local.getAddress(), 40002), local);
        shard.await(slowByHistory, QUOTA);
        long fine = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, new InetSocketAddress(local.getAddress(), 40003), local);
        shard.await(fine, AUTH);
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        slowByClock = shard.idOf(slowByClock); // from the shard's handles to the ids users see
        slowByHistory = shard.idOf(slowByHistory);
        Path socket = dir.resolve(ProcessHandle.current().pid() + ".sock");
        server = AttachServer.builder(registry).name("agreeing").socket(socket).start();
        return socket;
    }

    private static JsonNode run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        int code = Routerctl.run(ConsoleContext.withAttachDir(Path.of("/nonexistent")), new PrintWriter(out),
                new PrintWriter(new StringWriter()), args);
        assertThat(code).as(String.join(" ", args) + "\n" + out).isZero();
        return JSON.readTree(out.toString());
    }

    @Test
    void topDumpStuckLoopsAndTheDetailAgreeWithTheDefaultsAndWithoutTheAdaptiveRule() throws Exception {
        Path socket = serve();
        for (List<String> rule : List.of(List.<String>of(), List.of("--no-adaptive"))) {
            Set<Long> stuckIds = new HashSet<>();
            JsonNode dump = run(concat(List.of("dump-stuck", "--socket", socket.toString(), "--json"), rule));
            for (JsonNode t : dump.get("tasks")) {
                stuckIds.add(t.get("id").asLong());
            }
            int count = dump.get("summary").get("stuck").asInt();
            assertThat(stuckIds).hasSize(count);
            assertThat(stuckIds).as("by the clock: stuck under either rule").contains(slowByClock);
            if (rule.isEmpty()) {
                assertThat(stuckIds).as("the adaptive rule is on by default").contains(slowByHistory);
            } else {
                assertThat(stuckIds).doesNotContain(slowByHistory);
            }

            JsonNode loops = run(concat(List.of("loops", "--socket", socket.toString(), "--json"), rule));
            assertThat(loops.get("loops").get(0).get("stuck").asInt()).as("loops counts the same").isEqualTo(count);

            for (long id : List.of(slowByClock, slowByHistory)) {
                JsonNode task = run(concat(List.of("task", Long.toString(id), "--socket", socket.toString(), "--json"), rule));
                assertThat(task.get("task").get("stuck").asBoolean()).as("the detail of %d says what the table says", id)
                        .isEqualTo(stuckIds.contains(id));
            }

            String header = topHeader(socket, rule);
            assertThat(header).as("top's header counts what dump-stuck lists").contains("stuck " + count + " ");
        }
    }

    /** The second line of top's first screen, on the virtual terminal. */
    private String topHeader(Path socket, List<String> rule) throws Exception {
        AttachTopConnector connector = AttachTopConnector.forSocket(socket, Duration.ofSeconds(15));
        ScreenWatcher watcher = new ScreenWatcher(terminal);
        TopSettings settings = TopSettings.of(Duration.ofMillis(500), 5_000, null, rule.isEmpty());
        TopSession session = new TopSession(terminal, connector, settings, Theme.colour(),
                new TopSessionTest.RecordingHooks(), attempt -> 50, watcher);
        TopConnection first = connector.connect();
        exit = CompletableFuture.supplyAsync(() -> {
            try {
                return session.run(first);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        String screen = watcher.awaitText("in flight");
        terminal.addInput(Keys.ch('q'));
        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
        return screen.lines().filter(l -> l.startsWith("in flight")).findFirst().orElseThrow() + " ";
    }

    private static String[] concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }
}
