package io.routerctl.runtime;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.routerctl.probes.ProbePoint;
import io.routerctl.probes.TaskRegistry;
import io.routerctl.probes.Ticker;
import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.internal.InternalErrors;
import io.routerctl.probes.internal.LineReader;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.TaskQuery;
import io.routerctl.probes.testing.AllowPendingTasks;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attach protocol under fuzz: 100 tries of 100 frames each (10,000 in all), made of valid
 * requests mutated a few characters at a time, random JSON, and random bytes, sent to a real
 * runtime's attach socket while it serves HTTP. Every frame is answered or the connection is
 * closed; nothing is ever answered with {@code internal} (a bug of ours). Afterwards the target
 * answers a normal query, HTTP still works, and its event loops were never blocked.
 */
@AllowPendingTasks("a parked request stays in flight for the whole run, by design")
class AttachFuzzTest {

    static final int FRAMES_PER_TRY = 100;
    static final ProbePoint PARKED = ProbePoint.await("fuzz-parked");
    static final Pattern CODE = Pattern.compile("\"code\":\"([a-z_]+)\"");

    static RouterRuntime runtime;
    static Path socket;
    static Path attachDir;
    static RawHttp parked;
    static final AtomicLong framesSent = new AtomicLong();
    static final AtomicLong internalReplies = new AtomicLong();
    static final List<String> internalExamples = new ArrayList<>();
    static long internalErrorsBefore;

    @BeforeContainer
    static void startRuntime() throws Exception {
        attachDir = Files.createTempDirectory("routerctl-fuzz");
        String previous = System.getProperty("routerctl.attach.dir");
        System.setProperty("routerctl.attach.dir", attachDir.resolve("attach").toString());
        try {
            runtime = RouterRuntime.builder().port(0).loops(2).attach(true)
                    .registry(new TaskRegistry(Ticker.system(), true))
                    // Blocked means 2 s without a heartbeat, the default: a machine busy with other
                    // builds can starve a loop thread for a few hundred ms without anything blocking it.
                    .loopWatchdog(Duration.ofMillis(20), Duration.ofSeconds(2))
                    .handler((ctx, request) -> {
                        if (request.uri().equals("/parked")) {
                            ctx.await(PARKED);
                        } else {
                            ctx.respond(HttpResponseStatus.OK, "ok\n");
                        }
                    }).start();
        } finally {
            if (previous == null) {
                System.clearProperty("routerctl.attach.dir");
            } else {
                System.setProperty("routerctl.attach.dir", previous);
            }
        }
        socket = runtime.attachSocket().orElseThrow();
        parked = new RawHttp(runtime.port());
        parked.get("/parked");
        internalErrorsBefore = InternalErrors.count();
    }

    @AfterContainer
    static void checkAndStop() throws Exception {
        try {
            assertThat(framesSent.get()).isGreaterThanOrEqualTo(10_000);
            assertThat(internalReplies.get()).as("frames answered 'internal': %s", internalExamples).isZero();
            assertThat(InternalErrors.count()).as("errors caught by routerctl threads").isEqualTo(internalErrorsBefore);
            try (AttachClient client = AttachClient.connect(socket, Duration.ofSeconds(20))) {
                assertThat(client.query(TaskQuery.all(0, 10)).tasks())
                        .anyMatch(t -> "fuzz-parked".equals(t.waitingOn()));
                for (LoopSnapshot loop : client.loops(0)) {
                    assertThat(loop.health()).as("%s is watched", loop.name()).isNotNull();
                    assertThat(loop.health().episodes()).as("%s was never blocked", loop.name()).isZero();
                }
            }
            try (RawHttp http = new RawHttp(runtime.port())) {
                http.get("/after");
                assertThat(http.read().status()).isEqualTo(200);
            }
        } finally {
            parked.close();
            runtime.close();
        }
    }

    @Property(tries = 100)
    void everyFrameIsAnsweredOrTheConnectionClosed(@ForAll long seed) throws Exception {
        Frames frames = new Frames(new Random(seed));
        Connection c = new Connection();
        try {
            for (int sent = 0; sent < FRAMES_PER_TRY; ) {
                String frame = frames.next();
                if (frame.isBlank() || frame.indexOf('\n') >= 0) {
                    continue;
                }
                if (c.closed) {
                    c.close();
                    c = new Connection();
                }
                if (c.exchange(frame)) {
                    sent++;
                }
            }
        } finally {
            c.close();
        }
    }

    /** One attach connection: sends a frame, reads until its answer (updates of a subscription are skipped). */
    static final class Connection implements AutoCloseable {
        final SocketChannel channel;
        final LineReader lines;
        boolean closed;

        Connection() throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            lines = new LineReader(channel, 64 << 20);
            String hello = lines.readLine();
            assertThat(hello).contains("\"type\":\"hello\"");
        }

        /** Sends {@code frame} and reads its answer; false if the target had closed the connection first. */
        boolean exchange(String frame) throws Exception {
            ByteBuffer b = ByteBuffer.wrap((frame + "\n").getBytes(StandardCharsets.UTF_8));
            try {
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            } catch (IOException e) {
                closed = true; // the target closed first (too_large, timeout): fine
                return false;
            }
            framesSent.incrementAndGet();
            String line = CompletableFuture.supplyAsync(this::answer).get(30, TimeUnit.SECONDS);
            if (line == null) {
                closed = true;
                return true;
            }
            Matcher code = CODE.matcher(line);
            if (code.find() && code.group(1).equals("internal")) {
                internalReplies.incrementAndGet();
                synchronized (internalExamples) {
                    if (internalExamples.size() < 5) {
                        internalExamples.add(frame + " -> " + line);
                    }
                }
            }
            return true;
        }

        private String answer() {
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (!line.contains("\"type\":\"update\"")) {
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    // ---------------------------------------------------------------- frames

    static final List<String> VALID = List.of(
            "{\"v\":1,\"id\":1,\"op\":\"hello\"}",
            "{\"v\":1,\"id\":2,\"op\":\"query\",\"query\":{\"stuck_only\":true,\"older_than_ms\":0,\"limit\":5}}",
            "{\"v\":1,\"id\":3,\"op\":\"query\",\"query\":{\"filter\":\"fuzz|parked\",\"kinds\":[\"request\"],"
                    + "\"sort\":\"age\",\"descending\":true,\"adaptive\":true}}",
            "{\"v\":1,\"id\":4,\"op\":\"loops\",\"older_than_ms\":1000}",
            "{\"v\":1,\"id\":5,\"op\":\"task\",\"task\":1,\"older_than_ms\":0}",
            "{\"v\":1,\"id\":6,\"op\":\"points\"}",
            "{\"v\":1,\"id\":7,\"op\":\"subscribe\",\"interval_ms\":250,\"query\":{\"limit\":3}}",
            "{\"v\":1,\"id\":8,\"op\":\"resubscribe\",\"subscription\":1,\"query\":{\"limit\":2}}",
            "{\"v\":1,\"id\":9,\"op\":\"unsubscribe\",\"subscription\":1}",
            "{\"v\":1,\"id\":10,\"op\":\"gc\"}");

    /**
     * Frames from one seed (jqwik picks and reports the seeds): 60% valid requests with one to five
     * small mutations, 20% random JSON up to 80 deep, 18% random characters, 2% large frames.
     */
    static final class Frames {
        private static final String STRUCTURAL = "{}[]\":,\\-09e.";
        private static final String[] KEYS = {"v", "id", "op", "query", "filter", "limit", "task", "subscription",
                "interval_ms", "older_than_ms", "kinds", "sort", "x"};
        private static final String[] SCALARS = {"null", "true", "false", "1", "-0", "1e999", "9223372036854775808",
                "\"\"", "\"v\"", "\"op\"", "\"query\"", "\"\\ud800\"", "\"\\u0000\"", "-1", "0.5", "[]", "{}"};
        private static final String[] OPS = {"hello", "query", "loops", "task", "points", "gc", "subscribe",
                "resubscribe", "unsubscribe", "nope", ""};
        private static final String[] NUMBERS = {"-1", "0", "99999999999999999999", "1.5", "\"1\"", "null", "[]"};
        private final Random random;

        Frames(Random random) {
            this.random = random;
        }

        String next() {
            int kind = random.nextInt(100);
            if (kind < 60) {
                String s = VALID.get(random.nextInt(VALID.size()));
                for (int m = 1 + random.nextInt(5); m > 0; m--) {
                    s = mutate(s);
                }
                return s;
            } else if (kind < 80) {
                return json(random.nextInt(81));
            } else if (kind < 98) {
                return junk(random.nextInt(200));
            }
            String unit = new String[] {"x", "\\u0000", "[", "{\"a\":"}[random.nextInt(4)];
            return "{\"v\":1,\"id\":1,\"op\":\"query\",\"query\":{\"filter\":\""
                    + unit.repeat((1_000 + random.nextInt(300_000)) / unit.length()) + "\"}}";
        }

        private String mutate(String s) {
            int at = s.isEmpty() ? 0 : random.nextInt(s.length() + 1);
            int end = Math.min(s.length(), at + 1);
            return switch (random.nextInt(6)) {
                case 0 -> s.substring(0, at) + character() + s.substring(end);
                case 1 -> s.substring(0, at) + character() + s.substring(at);
                case 2 -> s.substring(0, at) + s.substring(end);
                case 3 -> s.substring(0, at);
                case 4 -> s.replaceFirst("(?<=:)-?[0-9]+", Matcher.quoteReplacement(NUMBERS[random.nextInt(NUMBERS.length)]));
                default -> s.replaceFirst("(?<=\"op\":\")[a-z]*", OPS[random.nextInt(OPS.length)]);
            };
        }

        private char character() {
            return random.nextBoolean() ? STRUCTURAL.charAt(random.nextInt(STRUCTURAL.length()))
                    : (char) random.nextInt(0x10000);
        }

        private String json(int depth) {
            if (depth == 0 || random.nextInt(4) == 0) {
                return random.nextBoolean() ? SCALARS[random.nextInt(SCALARS.length)] : Long.toString(random.nextLong());
            }
            StringBuilder sb = new StringBuilder();
            boolean array = random.nextBoolean();
            sb.append(array ? '[' : '{');
            for (int i = 0, n = random.nextInt(4); i < n; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                if (!array) {
                    sb.append('"').append(KEYS[random.nextInt(KEYS.length)]).append("\":");
                }
                sb.append(json(depth - 1));
            }
            return sb.append(array ? ']' : '}').toString();
        }

        private String junk(int length) {
            StringBuilder sb = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                sb.append(character());
            }
            return sb.toString();
        }
    }
}
