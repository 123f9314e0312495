package io.routerctl.console.testing;

import io.routerctl.probes.internal.LineReader;
import io.routerctl.probes.snapshot.LoopHealth;
import io.routerctl.probes.snapshot.LoopSnapshot;
import io.routerctl.probes.snapshot.PointSummary;
import io.routerctl.probes.snapshot.StepSnapshot;
import io.routerctl.probes.snapshot.StuckGroup;
import io.routerctl.probes.snapshot.TargetInfo;
import io.routerctl.probes.snapshot.TaskFamily;
import io.routerctl.probes.snapshot.TaskKind;
import io.routerctl.probes.snapshot.TaskReport;
import io.routerctl.probes.snapshot.TaskSnapshot;
import io.routerctl.probes.snapshot.TaskState;
import io.routerctl.probes.wire.ErrorCode;
import io.routerctl.probes.wire.Op;
import io.routerctl.probes.wire.WireCodec;
import io.routerctl.probes.wire.WireException;
import io.routerctl.probes.wire.WireMessage;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A target that speaks the protocol correctly and fills every string it sends with terminal
 * control sequences: what a process that took over an attach socket, or a service whose names and
 * addresses come from outside, could make routerctl print. It answers hello, query, loops, task,
 * and points; gc gets an error reply whose message is hostile too.
 */
public final class HostileTarget implements AutoCloseable {

    /** Clears the screen and moves the cursor home. */
    public static final String CLEAR = "\u001b[2J\u001b[H";
    /** Sets the window title (OSC 0), ended by BEL. */
    public static final String TITLE = "\u001b]0;pwned\u0007";
    /** Back to the start of the line, to overwrite it. */
    public static final String OVERWRITE = "\rALL GOOD";
    /** A C1 CSI, which some terminals honour like ESC [. */
    public static final String C1 = "\u009b31m";

    /** This JVM's pid: a socket named by a pid that is not alive is skipped as stale. */
    public static final long PID = ProcessHandle.current().pid();

    private final ServerSocketChannel server;
    private final Path socket;
    private final long claimedPid;
    private final Thread acceptor;
    private volatile boolean closed;

    /** Listens as {@code <this pid>.sock} in {@code attachDir}, which it makes private first. */
    public HostileTarget(Path attachDir) throws IOException {
        this(privateDir(attachDir).resolve(PID + ".sock"), PID);
    }

    /** Listens on {@code socket}, which anyone may connect to, claiming to be {@code claimedPid} in its hello. */
    public HostileTarget(Path socket, long claimedPid) throws IOException {
        this.socket = socket;
        this.claimedPid = claimedPid;
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));
        acceptor = new Thread(this::serve, "hostile-target");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static Path privateDir(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    /**
     * An impostor in its own process: {@code HostileTarget SOCKET CLAIMED_PID}. Prints
     * {@code ready SOCKET} once it listens and serves until killed.
     */
    public static void main(String[] args) throws Exception {
        try (HostileTarget t = new HostileTarget(Path.of(args[0]), Long.parseLong(args[1]))) {
            System.out.println("ready " + t.socket());
            t.acceptor.join();
        }
    }

    public Path socket() {
        return socket;
    }

    public static TargetInfo target() {
        return target(PID);
    }

    private static TargetInfo target(long pid) {
        return new TargetInfo(pid, "router" + TITLE + CLEAR, 1_764_050_000_000L, 5_000, 1, 1, "17" + OVERWRITE,
                List.of("lost-wakeup", "blocked-loop"));
    }

    public static TaskSnapshot task() {
        return new TaskSnapshot(2561, TaskKind.REQUEST, 2305L, "10.0.0.1" + CLEAR + ":40112", "127.0.0.1:8080" + C1,
                "loop" + TITLE, 9_800, TaskState.WAITING, "auth" + OVERWRITE, 9_790L, "wait" + TITLE, 9_790L,
                "Adapter.java:41" + CLEAR, true, 9_790,
                List.of(new StepSnapshot("request-read" + CLEAR, 0.0), new StepSnapshot("step" + OVERWRITE, 0.01)),
                0, List.of("lost-wakeup" + TITLE), "older-than");
    }

    public static TaskReport report() {
        TaskSnapshot t = task();
        return new TaskReport(1_764_050_005_000L, 1, 1, 1,
                List.of(new StuckGroup(TaskKind.REQUEST, t.lastStep(), t.waitingOn(), t.waitingAt(), 1, 9_790, 1, 2.5)),
                List.of(t), 0,
                List.of(new PointSummary(t.waitingOn(), t.waitingAt(), 150, 1.0, 2.5, 1_000L, 1, 0, 0)));
    }

    public static List<LoopSnapshot> loops() {
        return List.of(new LoopSnapshot("loop" + TITLE, 3, 1, 1, 100, 0,
                new LoopHealth(2_400.5, 99.0, true, 2_400, List.of("Evil.render(Evil.java:1)" + CLEAR + OVERWRITE), 1),
                90));
    }

    private void serve() {
        while (!closed) {
            try (SocketChannel client = server.accept()) {
                write(client, new WireMessage.Hello(target(claimedPid)));
                LineReader lines = new LineReader(client, 1 << 20);
                for (String line; (line = lines.readLine()) != null; ) {
                    write(client, answer(line, claimedPid));
                }
            } catch (IOException | RuntimeException e) {
                // The next client.
            }
        }
    }

    private static WireMessage answer(String line, long claimedPid) {
        WireMessage.Request r;
        try {
            r = WireCodec.decodeRequest(line);
        } catch (WireException e) {
            return new WireMessage.ErrorReply(e.requestId(), e.code(), e.getMessage());
        }
        if (r.op() == Op.GC) {
            return new WireMessage.ErrorReply(r.id(), ErrorCode.INTERNAL, "no" + CLEAR + OVERWRITE);
        }
        Object result = switch (r.op()) {
            case HELLO -> Map.of("target", target(claimedPid));
            case QUERY -> report();
            case LOOPS -> Map.of("loops", loops());
            case TASK -> new TaskFamily(task(), task(), List.of(), List.of());
            default -> Map.of("points", List.of());
        };
        return new WireMessage.Result(r.id(), r.op() == Op.SUBSCRIBE ? Op.QUERY : r.op(), result);
    }

    private static void write(SocketChannel client, WireMessage m) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(WireCodec.encodeLine(m));
        while (b.hasRemaining()) {
            client.write(b);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        Files.deleteIfExists(socket);
    }
}
