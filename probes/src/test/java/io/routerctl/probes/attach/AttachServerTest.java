package io.routerctl.probes.attach;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.TaskShard;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSnapshot;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.testing.ManualTicker;
import io.routerctl.probes.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttachServerTest {

    static final ProbePoint ROUTE_RESOLVED = ProbePoint.step("route-resolved");
    static final ProbePoint AUTH = ProbePoint.await("auth");
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);

    @TempDir
    Path tmp;
    Path dir;
    final ManualTicker ticker = new ManualTicker();
    final TaskRegistry registry = new TaskRegistry(ticker, true);
    /** The test thread owns this shard: it alone writes it, as an event loop would. */
    final TaskShard shard = registry.newShard("loop-0");
    final List<AutoCloseable> toClose = new ArrayList<>();
    AttachServer server;

    @BeforeEach
    void startServer() throws IOException {
        dir = tmp.resolve("attach");
        server = AttachServer.builder(registry).name("test-target").directory(dir).start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        server.close();
    }

    private AttachClient connect() throws AttachException {
        AttachClient client = AttachClient.connect(server.socket(), TIMEOUT);
        toClose.add(client);
        return client;
    }

    private RawConnection raw() throws IOException {
        RawConnection c = new RawConnection(server.socket());
        toClose.add(c);
        return c;
    }

    private long stuckRequest(int port) {
        long req = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, new InetSocketAddress("127.0.0.1", port), LOCAL);
        shard.step(req, ROUTE_RESOLVED);
        shard.await(req, AUTH);
        return req;
    }

    @Test
    void theHelloIdentifiesTheTarget() throws Exception {
        AttachClient client = connect();

        TargetInfo target = client.target();
        assertThat(target.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(target.name()).isEqualTo("test-target");
        assertThat(target.loops()).isEqualTo(1);
        assertThat(target.protocol()).isEqualTo(1);
        assertThat(target.javaVersion()).isEqualTo(System.getProperty("java.version"));
        assertThat(target.startedAtEpochMs()).isPositive().isLessThanOrEqualTo(System.currentTimeMillis());
        assertThat(client.hello().pid()).isEqualTo(target.pid());
        assertThat(server.socket()).isEqualTo(dir.resolve(ProcessHandle.current().pid() + ".sock"));
    }

    /** Begins a tracked wait whose completer nobody keeps (a lost wake-up), returning the waiter's future. */
    private CompletableFuture<Object> lostWakeup(int port) {
        long req = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, new InetSocketAddress("127.0.0.1", port), LOCAL);
        shard.step(req, ROUTE_RESOLVED);
        return io.routerctl.probes.Completer.begin(shard, req, AUTH).future();
    }

    @Test
    @io.routerctl.probes.testing.AllowPendingTasks("the lost wake-up is what the gc op must find")
    void theGcOpProvesLostWakeupsAndTheQueryThenShowsThem() throws Exception {
        CompletableFuture<Object> waiter = lostWakeup(40114);
        ticker.advanceMillis(6_000);
        AttachClient client = connect();
        assertThat(client.target().detectors()).contains("lost-wakeup", "slow", "orphaned").doesNotContain("blocked-loop");

        Poll.until(Duration.ofSeconds(30), "the gc op to prove the lost wake-up",
                () -> {
                    try {
                        return client.collectLostWakeups().lostWakeupsTotal() >= 1;
                    } catch (AttachException | TargetErrorException e) {
                        throw new AssertionError(e);
                    }
                });

        TaskReport report = client.query(TaskQuery.stuck(5_000, 10));
        assertThat(report.tasks()).singleElement().satisfies(t -> {
            assertThat(t.remote()).isEqualTo("127.0.0.1:40114");
            assertThat(t.warnings()).contains("lost-wakeup");
        });
        assertThat(report.groups()).singleElement().satisfies(g -> assertThat(g.lostWakeups()).isEqualTo(1));
        assertThat(waiter).isNotDone();
    }

    @Test
    void aQueryReturnsTheStuckTasksOfTheRegistry() throws Exception {
        stuckRequest(40112);
        ticker.advanceMillis(6_000);
        stuckRequest(40113); // waiting, but only just

        TaskReport report = connect().query(TaskQuery.stuck(5_000, 100));

        assertThat(report.inFlight()).isEqualTo(2);
        assertThat(report.stuck()).isEqualTo(1);
        assertThat(report.tasks()).singleElement().satisfies(t -> {
            assertThat(t.remote()).isEqualTo("127.0.0.1:40112");
            assertThat(t.lastStep()).isEqualTo("route-resolved");
            assertThat(t.waitingOn()).isEqualTo("auth");
            assertThat(t.waitingMs()).isEqualTo(6_000);
        });
        assertThat(report.groups()).singleElement().satisfies(g -> assertThat(g.count()).isEqualTo(1));
    }

    @Test
    void badRequestsGetTheDocumentedErrorAndTheConnectionStaysUsable() throws Exception {
        RawConnection c = raw();
        assertThat(c.read().get("type").asText()).isEqualTo("hello");

        JsonNode notJson = c.ask("this is not json");
        assertThat(notJson.at("/error/code").asText()).isEqualTo("bad_request");
        assertThat(notJson.at("/error/message").asText()).startsWith("not JSON");
        assertThat(notJson.has("id")).isFalse();
        assertThat(notJson.get("v").asInt()).isEqualTo(1);

        assertThat(c.ask("[1,2,3]").at("/error/code").asText()).isEqualTo("bad_request");
        assertThat(c.ask("{\"v\":2,\"id\":1,\"op\":\"hello\"}").at("/error/code").asText()).isEqualTo("unsupported_version");

        JsonNode unknown = c.ask("{\"v\":1,\"id\":2,\"op\":\"shutdown\"}");
        assertThat(unknown.at("/error/code").asText()).isEqualTo("unknown_op");
        assertThat(unknown.get("id").asLong()).isEqualTo(2);

        JsonNode range = c.ask("{\"v\":1,\"id\":3,\"op\":\"query\",\"query\":{\"limit\":0}}");
        assertThat(range.at("/error/code").asText()).isEqualTo("bad_request");
        assertThat(range.at("/error/message").asText()).isEqualTo("limit must be between 1 and 10000, got 0");
        assertThat(c.ask("{\"v\":1,\"id\":4,\"op\":\"subscribe\",\"interval_ms\":99}").at("/error/code").asText())
                .isEqualTo("bad_request");
        assertThat(c.ask("{\"v\":1,\"id\":5,\"op\":\"unsubscribe\",\"subscription\":9}").at("/error/code").asText())
                .isEqualTo("not_found");
        assertThat(c.ask("{\"v\":1,\"id\":6,\"op\":\"task\",\"task\":12345}").at("/error/code").asText())
                .isEqualTo("not_found");

        JsonNode fine = c.ask("{\"v\":1,\"id\":7,\"op\":\"query\",\"query\":{\"stuck_only\":true},\"future_field\":true}");
        assertThat(fine.get("type").asText()).isEqualTo("result");
        assertThat(fine.get("id").asLong()).isEqualTo(7);
        assertThat(fine.at("/result/in_flight").isInt()).isTrue();

        // The typed client sees the same refusal as an exception with the code.
        assertThatThrownBy(() -> connect().task(999_999, 0))
                .isInstanceOfSatisfying(TargetErrorException.class, e -> assertThat(e.code()).isEqualTo("not_found"));
    }

    @Test
    void anOversizedLineGetsTooLargeAndTheConnectionCloses() throws Exception {
        RawConnection c = raw();
        c.read();
        byte[] huge = new byte[ServerSession.MAX_LINE_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) 'x');
        c.write(huge);

        JsonNode error = c.read();
        assertThat(error.at("/error/code").asText()).isEqualTo("too_large");
        assertThat(c.read()).as("closed after too_large").isNull();

        // The server itself is fine.
        assertThat(connect().query(TaskQuery.all(0, 1)).inFlight()).isZero();
    }

    @Test
    void aLineOfExactlyTheCapIsAccepted() throws Exception {
        RawConnection c = raw();
        c.read();
        String head = "{\"v\":1,\"id\":1,\"op\":\"points\",\"pad\":\"";
        String tail = "\"}";
        String line = head + "p".repeat(ServerSession.MAX_LINE_BYTES - head.length() - tail.length()) + tail;
        assertThat(line.length()).isEqualTo(ServerSession.MAX_LINE_BYTES);
        assertThat(c.ask(line).get("type").asText()).isEqualTo("result");
    }

    @Test
    void theSeventeenthClientIsToldBusyAndServedOnceAnotherLeaves() throws Exception {
        List<AttachClient> clients = new ArrayList<>();
        for (int n = 0; n < AttachServer.MAX_CLIENTS; n++) {
            clients.add(connect());
        }
        RawConnection extra = raw();
        JsonNode busy = extra.read();
        assertThat(busy.at("/error/code").asText()).isEqualTo("busy");
        assertThat(extra.read()).isNull();
        assertThatThrownBy(this::connect).isInstanceOf(AttachException.class).hasMessageContaining("busy");
        assertThat(clients).allSatisfy(c -> assertThat(c.query(TaskQuery.all(0, 1))).isNotNull());

        clients.get(0).close();
        Poll.until(TIMEOUT, "a place for one more client", () -> server.clients() < AttachServer.MAX_CLIENTS);
        assertThat(connect().target().name()).isEqualTo("test-target");
    }

    @Test
    void aPeerOfAnotherUserIsForbidden() throws Exception {
        Path socket = tmp.resolve("attach/other.sock");
        try (AttachServer strict = AttachServer.builder(registry).socket(socket).peerPolicy(peer -> false).start();
             RawConnection c = new RawConnection(strict.socket())) {
            JsonNode refused = c.read();
            assertThat(refused.at("/error/code").asText()).isEqualTo("forbidden");
            assertThat(refused.at("/error/message").asText()).contains(System.getProperty("user.name"));
            assertThat(c.read()).isNull();
            assertThatThrownBy(() -> AttachClient.connect(strict.socket(), TIMEOUT))
                    .isInstanceOf(AttachException.class).hasMessageStartingWith("permission denied");
        }
    }

    @Test
    void theDefaultPolicyServesTheSameUserAndRootOnly() throws Exception {
        var lookup = tmp.getFileSystem().getUserPrincipalLookupService();
        var self = PeerPolicy.self();
        PeerPolicy policy = PeerPolicy.sameUserOrRoot(self);
        assertThat(policy.admits(new jdk.net.UnixDomainPrincipal(self, lookup.lookupPrincipalByGroupName("root")))).isTrue();
        assertThat(policy.admits(new jdk.net.UnixDomainPrincipal(lookup.lookupPrincipalByName("root"),
                lookup.lookupPrincipalByGroupName("root")))).isTrue();
        PeerPolicy forNobody = PeerPolicy.sameUserOrRoot(lookup.lookupPrincipalByName("nobody"));
        assertThat(forNobody.admits(new jdk.net.UnixDomainPrincipal(lookup.lookupPrincipalByName("daemon"),
                lookup.lookupPrincipalByGroupName("root")))).isFalse();
        assertThat(PeerPolicy.sameUserOrRoot(null).admits(new jdk.net.UnixDomainPrincipal(self,
                lookup.lookupPrincipalByGroupName("root")))).as("an unknown self trusts nobody").isFalse();
    }

    @Test
    void aSubscriptionStreamsUpdatesAndResubscribeChangesTheQuery() throws Exception {
        long conn = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, new InetSocketAddress("127.0.0.1", 7000), LOCAL);
        shard.register(TaskKind.REQUEST, conn, new InetSocketAddress("127.0.0.1", 7000), LOCAL);
        BlockingQueue<TaskReport> updates = new LinkedBlockingQueue<>();
        List<Long> dropped = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Exception> closed = new CompletableFuture<>();
        AttachClient client = connect();

        // 300 ms between updates: a reading client must see none dropped, and on a loaded machine a
        // shorter period can make the server itself skip a tick (which it also counts as dropped).
        Subscription sub = client.subscribe(new TaskQuery(false, 0, null, List.of(TaskKind.REQUEST), null, false, 10),
                Duration.ofMillis(300), new SubscriptionListener() {
                    @Override
                    public void onUpdate(TargetInfo target, TaskReport report, List<LoopSnapshot> loops, long droppedBefore) {
                        updates.add(report);
                        dropped.add(droppedBefore);
                    }

                    @Override
                    public void onClosed(Exception cause) {
                        closed.complete(cause);
                    }
                });

        TaskReport first = updates.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        assertThat(first.tasks()).extracting(TaskSnapshot::kind).containsExactly(TaskKind.REQUEST);
        assertThat(updates.poll(10, TimeUnit.SECONDS)).as("a second, periodic update").isNotNull();

        sub.update(new TaskQuery(false, 0, null, List.of(TaskKind.CONNECTION), null, false, 10));
        Poll.until(TIMEOUT, "an update with the new query", () -> {
            TaskReport r = updates.poll();
            return r != null && r.tasks().size() == 1 && r.tasks().get(0).kind() == TaskKind.CONNECTION;
        });
        assertThat(dropped).allMatch(d -> d == 0);

        sub.close();
        sub.close();
        // Still usable after the subscription ended.
        assertThat(client.query(TaskQuery.all(0, 10)).matched()).isEqualTo(2);

        Subscription another = client.subscribe(TaskQuery.all(0, 1), Duration.ofSeconds(60), new SubscriptionListener() {
            @Override
            public void onUpdate(TargetInfo target, TaskReport report, List<LoopSnapshot> loops, long droppedBefore) {
            }

            @Override
            public void onClosed(Exception cause) {
                closed.complete(cause);
            }
        });
        assertThat(another).isNotNull();
        server.close();
        assertThat(closed.get(10, TimeUnit.SECONDS)).isInstanceOf(AttachException.class)
                .hasMessage("the target closed the connection");
        assertThatThrownBy(() -> client.query(TaskQuery.all(0, 10))).isInstanceOf(AttachException.class)
                .hasMessageContaining("is closed");
    }

    @Test
    void aClientThatNeverReadsStallsOnlyItselfAndLearnsWhatWasDropped() throws Exception {
        for (int n = 0; n < 2_000; n++) {
            stuckRequest(10_000 + n);
        }
        RawConnection slow = raw();
        slow.read();
        slow.send("{\"v\":1,\"id\":1,\"op\":\"subscribe\",\"interval_ms\":100,"
                + "\"query\":{\"limit\":2000,\"older_than_ms\":0}}");
        // Each update is ~700 KB, more than the socket buffers hold: the server's writer for this client blocks.

        BlockingQueue<Long> fastUpdates = new LinkedBlockingQueue<>();
        AttachClient fast = connect();
        fast.subscribe(TaskQuery.stuck(0, 1), Duration.ofMillis(100), new SubscriptionListener() {
            @Override
            public void onUpdate(TargetInfo target, TaskReport report, List<LoopSnapshot> loops, long droppedBefore) {
                fastUpdates.add(droppedBefore);
            }

            @Override
            public void onClosed(Exception cause) {
            }
        });
        for (int n = 0; n < 10; n++) {
            assertThat(fastUpdates.poll(10, TimeUnit.SECONDS)).as("fast client's update %d", n).isNotNull();
            assertThat(fast.query(TaskQuery.stuck(0, 1)).stuck()).isEqualTo(2_000);
        }

        long droppedSeen = 0;
        for (int lines = 0; lines < 50 && droppedSeen == 0; lines++) {
            JsonNode m = slow.read();
            assertThat(m).isNotNull();
            if ("update".equals(m.path("type").asText())) {
                droppedSeen = m.get("dropped").asLong();
            }
        }
        assertThat(droppedSeen).as("updates the slow client missed while it did not read").isPositive();
    }

    @Test
    void theTaskOpReturnsTheTaskWithParentSiblingsAndChildren() throws Exception {
        long conn = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, new InetSocketAddress("127.0.0.1", 7001), LOCAL);
        long r1 = shard.register(TaskKind.REQUEST, conn, new InetSocketAddress("127.0.0.1", 7001), LOCAL);
        long r2 = shard.register(TaskKind.REQUEST, conn, new InetSocketAddress("127.0.0.1", 7001), LOCAL);
        long f = shard.register(TaskKind.FUTURE, r1, null, null);

        TaskFamily family = connect().task(shard.idOf(r1), 5_000);

        assertThat(family.task().id()).isEqualTo(shard.idOf(r1));
        assertThat(family.parent().id()).isEqualTo(shard.idOf(conn));
        assertThat(family.siblings()).extracting(TaskSnapshot::id).containsExactly(shard.idOf(r2));
        assertThat(family.children()).extracting(TaskSnapshot::id).containsExactly(shard.idOf(f));
        TaskFamily top = connect().task(shard.idOf(conn), 5_000);
        assertThat(top.parent()).isNull();
        assertThat(top.siblings()).isEmpty();
        assertThat(top.children()).hasSize(2);
    }

    @Test
    void pointsListEveryDeclaredProbePoint() throws Exception {
        List<PointSnapshot> points = connect().points();
        assertThat(points).contains(new PointSnapshot("route-resolved", "step", ROUTE_RESOLVED.location()),
                new PointSnapshot("auth", "await", AUTH.location()));
    }

    @Test
    void loopsComeFromTheRegistryOrFromTheHookTheRuntimeGives() throws Exception {
        stuckRequest(1);
        assertThat(connect().loops(0)).containsExactly(new LoopSnapshot("loop-0", 1, 1, 1, 1, 0, null, 1));

        Path socket = tmp.resolve("attach/hooked.sock");
        try (AttachServer hooked = AttachServer.builder(registry).socket(socket)
                .loops(olderThanMs -> List.of(new LoopSnapshot("custom-" + olderThanMs, 0, 0, 0, 0, 0))).start();
             AttachClient client = AttachClient.connect(hooked.socket(), TIMEOUT)) {
            assertThat(client.loops(42)).extracting(LoopSnapshot::name).containsExactly("custom-42");
        }
    }

    @Test
    void theSocketIsOwnerOnlyInAnOwnerOnlyDirectoryAndGoesAwayOnClose() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket()))).isEqualTo("rw-------");
        AttachClient client = connect();
        CompletableFuture<Boolean> ended = new CompletableFuture<>();
        client.subscribe(TaskQuery.all(0, 1), Duration.ofSeconds(60), new SubscriptionListener() {
            @Override
            public void onUpdate(TargetInfo target, TaskReport report, List<LoopSnapshot> loops, long droppedBefore) {
            }

            @Override
            public void onClosed(Exception cause) {
                ended.complete(cause != null);
            }
        });

        server.close();
        server.close();

        assertThat(server.socket()).doesNotExist();
        assertThat(ended.get(10, TimeUnit.SECONDS)).as("listener told, with a cause").isTrue();
        assertThatThrownBy(() -> client.query(TaskQuery.all(0, 1))).isInstanceOf(AttachException.class);
        assertThatThrownBy(() -> AttachClient.connect(server.socket(), TIMEOUT))
                .isInstanceOf(AttachException.class)
                .hasMessage("no process is listening on " + server.socket());
        client.close();
        client.close();
    }

    @Test
    void aStaleSocketIsSkippedAndRemovedWhileTheLiveOneIsListed() throws Exception {
        Path stale = dir.resolve("4194304.sock");
        try (var dead = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(java.net.UnixDomainSocketAddress.of(stale)); // closing leaves the file: a stale socket
        }
        Path notASocketName = dir.resolve("notes.sock");
        Files.createFile(notASocketName);
        Path plainFile = dir.resolve("4194305.sock");
        Files.createFile(plainFile);

        List<AttachTarget> targets = AttachDirectory.targets(dir);

        assertThat(targets).containsExactly(new AttachTarget(ProcessHandle.current().pid(), server.socket()));
        assertThat(stale).doesNotExist();
        assertThat(notASocketName).exists();
        assertThat(plainFile).as("not a socket: skipped, not ours to judge").exists();
        assertThat(AttachDirectory.targets(tmp.resolve("missing"))).isEmpty();
    }

    @Test
    void aLeftoverSocketOfOurPidIsReplacedButALiveOneIsNot() throws Exception {
        assertThatThrownBy(() -> AttachServer.builder(registry).directory(dir).start())
                .isInstanceOf(IOException.class).hasMessageContaining("already listens on");

        server.close();
        try (var crashed = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            crashed.bind(java.net.UnixDomainSocketAddress.of(server.socket())); // closing leaves the file
        }
        assertThatThrownBy(() -> AttachClient.connect(server.socket(), TIMEOUT))
                .hasMessage("no process is listening on " + server.socket());
        server = AttachServer.builder(registry).name("again").directory(dir).start();
        assertThat(connect().target().name()).isEqualTo("again");
    }

    @Test
    void anUnsafeDirectoryIsRefusedWithAClearMessage() throws Exception {
        Path open = tmp.resolve("open");
        Files.createDirectory(open);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> AttachServer.builder(registry).directory(open).start())
                .isInstanceOf(IOException.class)
                .hasMessage("attach directory " + open + " is writable by group or others (mode rwxrwxrwx); run: chmod 700 " + open);

        Path file = tmp.resolve("file");
        Files.createFile(file);
        assertThatThrownBy(() -> AttachDirectory.prepare(file)).hasMessageContaining("is not a directory");

        Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, dir);
        assertThatThrownBy(() -> AttachDirectory.prepare(link)).hasMessageContaining("is a symbolic link");
        assertThatThrownBy(() -> AttachDirectory.targets(link)).isInstanceOf(UnsafeDirectoryException.class)
                .hasMessageContaining("is a symbolic link");
        assertThatThrownBy(() -> AttachDirectory.targets(open)).isInstanceOf(UnsafeDirectoryException.class)
                .hasMessageContaining("chmod 700 " + open);

        var nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        if (AttachDirectory.uid() == 0) {
            Path foreign = tmp.resolve("foreign");
            Files.createDirectory(foreign, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setOwner(foreign, nobody);
            int nobodyUid = (Integer) Files.getAttribute(foreign, "unix:uid");
            assertThatThrownBy(() -> AttachDirectory.prepare(foreign))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("attach directory " + foreign + " belongs to uid " + nobodyUid + ", not to you (uid 0)");
            assertThatThrownBy(() -> AttachDirectory.targets(foreign)).isInstanceOf(UnsafeDirectoryException.class);
        }
    }

    @Test
    void theDirectoryIsTheOneThePropertyOrEnvironmentNames() {
        java.util.Map<String, String> env = new java.util.HashMap<>(java.util.Map.of(
                AttachDirectory.DIR_ENV, "/from/env", "XDG_RUNTIME_DIR", "/run/user/1000"));
        assertThat(AttachDirectory.resolve(p -> "/from/property", env::get, 1000)).isEqualTo(Path.of("/from/property"));
        assertThat(AttachDirectory.resolve(p -> null, env::get, 1000)).isEqualTo(Path.of("/from/env"));
        env.remove(AttachDirectory.DIR_ENV);
        assertThat(AttachDirectory.resolve(p -> null, env::get, 1000)).isEqualTo(Path.of("/run/user/1000/routerctl"));
        env.put("XDG_RUNTIME_DIR", "relative/dir");
        assertThat(AttachDirectory.resolve(p -> null, env::get, 1000)).as("a relative runtime dir is ignored")
                .isEqualTo(Path.of("/tmp/routerctl-1000"));
        env.clear();
        assertThat(AttachDirectory.resolve(p -> null, env::get, 1000)).isEqualTo(Path.of("/tmp/routerctl-1000"));
        assertThat(AttachDirectory.resolve(p -> null, env::get, -1)).isEqualTo(Path.of("/tmp/routerctl-unknown"));
    }

    @Test
    void subscriptionLinesComeInTheDocumentedOrder() throws Exception {
        stuckRequest(9000);
        RawConnection c = raw();
        c.read();

        JsonNode reply = c.ask("{\"v\":1,\"id\":1,\"op\":\"subscribe\",\"interval_ms\":100,\"query\":{\"kinds\":[\"request\"]}}");
        assertThat(reply.get("type").asText()).as("the reply before any update").isEqualTo("result");
        assertThat(reply.at("/result/subscription").asLong()).isEqualTo(1);
        JsonNode first = c.read();
        assertThat(first.get("type").asText()).isEqualTo("update");
        assertThat(first.get("seq").asLong()).isEqualTo(1);
        assertThat(first.get("subscription").asLong()).isEqualTo(1);
        assertThat(first.at("/report/matched").asInt()).isEqualTo(1);
        assertThat(first.at("/target/pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(first.at("/loops/0/name").asText()).isEqualTo("loop-0");
        assertThat(c.read().get("seq").asLong()).isEqualTo(2);

        c.send("{\"v\":1,\"id\":2,\"op\":\"resubscribe\",\"subscription\":1,\"query\":{\"kinds\":[\"connection\"]}}");
        JsonNode m;
        do {
            m = c.read();
        } while (m.get("type").asText().equals("update"));
        assertThat(m.get("id").asLong()).isEqualTo(2);
        JsonNode changed = c.read();
        assertThat(changed.get("type").asText()).isEqualTo("update");
        assertThat(changed.at("/report/matched").asInt()).as("no connections registered").isZero();

        c.send("{\"v\":1,\"id\":3,\"op\":\"unsubscribe\",\"subscription\":1}");
        do {
            m = c.read();
        } while (m.get("type").asText().equals("update"));
        assertThat(m.get("id").asLong()).isEqualTo(3);
        for (int n = 4; n < 10; n++) {
            JsonNode after = c.ask("{\"v\":1,\"id\":" + n + ",\"op\":\"points\"}");
            assertThat(after.get("type").asText()).as("no update after the unsubscribe reply").isEqualTo("result");
        }
    }

    @Test
    void aTaskComesWithTheHistogramOfThePointItWaitsOn() throws Exception {
        long[] waitsMs = {3, 3, 4, 4, 4, 9, 40};
        for (long ms : waitsMs) {
            long t = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, LOCAL);
            shard.await(t, AUTH);
            ticker.advance(Duration.ofMillis(ms));
            shard.resume(t);
            shard.finish(t, io.routerctl.probes.snapshot.TaskState.DONE);
        }
        long waiting = shard.register(TaskKind.REQUEST, TaskShard.NO_TASK, null, LOCAL);
        shard.await(waiting, AUTH);
        ticker.advance(Duration.ofSeconds(12));

        TaskFamily family = connect().task(shard.idOf(waiting), 5_000);

        io.routerctl.probes.snapshot.WaitHistogram h = family.waitHistogram();
        assertThat(h).isNotNull();
        assertThat(h.point()).isEqualTo("auth");
        assertThat(h.waits()).isEqualTo(waitsMs.length);
        assertThat(h.counts().stream().mapToLong(Long::longValue).sum()).isEqualTo(waitsMs.length);
        assertThat(h.counts().get(h.bucketOf(5.0))).as("waits of 3 and 4 ms").isEqualTo(5);
        assertThat(h.counts().get(h.bucketOf(10.0))).isEqualTo(1);
        assertThat(h.counts().get(h.bucketOf(50.0))).isEqualTo(1);
        assertThat(h.bucketOf(12_000)).as("the current wait is past every completed one")
                .isGreaterThan(h.bucketOf(50.0));

        long idle = shard.register(TaskKind.CONNECTION, TaskShard.NO_TASK, null, LOCAL);
        assertThat(connect().task(shard.idOf(idle), 5_000).waitHistogram()).as("waiting on nothing").isNull();
    }
}
