package io.routerctl.console.agent;

import io.routerctl.console.attach.ProcFiles;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * HotSpot's attach mechanism, spoken directly, as jcmd's client (and jattach) speak it, but with no
 * file touched unsafely and no wait unbounded. So routerctl needs no {@code jdk.attach} module and
 * runs on a JRE.
 *
 * <h2>The handshake</h2>
 * A JVM listens on {@code /tmp/.java_pid<pid>} (its own {@code /tmp} and pid, in its namespaces)
 * once its attach listener runs. If it does not yet: create {@code /tmp/.attach_pid<pid>} (the
 * JVM checks its owner is its user or root), send SIGQUIT, wait for the socket, remove the file.
 * Then one connection per command: {@code "1\0<command>\0<arg>\0<arg>\0<arg>\0"}; the JVM answers
 * with a status line (0 is success) and the command's output, then closes.
 *
 * <h2>What it trusts</h2>
 * Files in the target's {@code /tmp} are made and removed only through {@link TargetTmp}. The
 * socket must be a socket owned by the target's user, and after connecting the peer's credentials
 * must name that user; anything else is refused in one line. A stopped process is refused before
 * any signal is sent, so that no signal stays queued for it; every wait ends at the deadline.
 *
 * <h2>Thread safety</h2>
 * Stateless; each call makes its own connections.
 */
public final class HotSpotAttach {

    /** What a JVM answered to a command: its status (0 is success) and its output. */
    public record Reply(int status, String output) {
    }

    private HotSpotAttach() {
    }

    /**
     * Runs {@code command} with up to three arguments in {@code pid}, starting its attach listener
     * first if it has none, giving up at {@code deadline} ({@link System#nanoTime()}).
     *
     * @throws IOException with a one-line reason
     */
    public static Reply execute(long pid, long deadline, String command, String... args) throws IOException {
        Path socket = socket(pid, deadline);
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new IOException("the JVM " + pid + " does not accept on its attach socket: " + e.getMessage());
            }
            checkPeer(pid, ch);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes("1\0".getBytes(StandardCharsets.UTF_8));
            request.writeBytes((command + "\0").getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                String a = i < args.length && args[i] != null ? args[i] : "";
                request.writeBytes((a + "\0").getBytes(StandardCharsets.UTF_8));
            }
            byte[] reply = exchange(ch, request.toByteArray(), deadline, pid);
            String text = new String(reply, StandardCharsets.UTF_8);
            int nl = text.indexOf('\n');
            String first = (nl < 0 ? text : text.substring(0, nl)).strip();
            int status;
            try {
                status = Integer.parseInt(first);
            } catch (NumberFormatException e) {
                throw new IOException("the JVM " + pid + " answered what is not an attach reply: "
                        + (first.length() > 80 ? first.substring(0, 80) + "..." : first));
            }
            return new Reply(status, nl < 0 ? "" : text.substring(nl + 1));
        }
    }

    /** Writes {@code request} and reads until the JVM closes, within {@code deadline}. */
    private static byte[] exchange(SocketChannel ch, byte[] request, long deadline, long pid) throws IOException {
        ch.configureBlocking(false);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        try (Selector selector = Selector.open()) {
            ByteBuffer out = ByteBuffer.wrap(request);
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutIOException("the JVM " + pid + " did not answer in time (is it stopped, or overloaded?)");
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                if (out.hasRemaining()) {
                    ch.write(out);
                    if (!out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                    continue;
                }
                int n = ch.read(buf);
                if (n < 0) {
                    return in.toByteArray();
                }
                if (n > 0) {
                    in.write(buf.array(), 0, n);
                    buf.clear();
                    if (in.size() > (64 << 20)) {
                        throw new IOException("the JVM " + pid + " sent more than 64 MiB in answer; giving up");
                    }
                }
            }
        }
    }

    /** The JVM's attach socket, started if need be; its path as seen from here. */
    static Path socket(long pid, long deadline) throws IOException {
        long nsPid = ProcFiles.namespacePid(pid);
        String socketName = ".java_pid" + nsPid;
        Path socket = Path.of("/proc", Long.toString(pid), "root", "tmp", socketName);
        UserPrincipal owner = Files.getOwner(Path.of("/proc", Long.toString(pid)));
        try (TargetTmp tmp = TargetTmp.of(pid)) {
            PosixFileAttributes a = tmp.attributes(socketName);
            if (a != null) {
                checkSocketFile(pid, a, owner, socketName);
                return socket;
            }
            checkNoForeignTriggerInWorkingDirectory(pid, nsPid, owner);
            String triggerName = ".attach_pid" + nsPid;
            TargetTmp.Created trigger = null;
            while (trigger == null) {
                try {
                    trigger = tmp.createNew(triggerName);
                } catch (FileAlreadyExistsException e) {
                    PosixFileAttributes t = tmp.attributes(triggerName);
                    if (t == null) {
                        // Another attach's trigger, gone since: the listener it asked for may be up.
                        a = tmp.attributes(socketName);
                        if (a != null) {
                            checkSocketFile(pid, a, owner, socketName);
                            return socket;
                        }
                        if (System.nanoTime() - deadline > 0) {
                            throw new TimeoutIOException("the JVM " + pid + " did not start its attach listener in time "
                                    + "(is it stopped, still starting, or overloaded?)");
                        }
                        continue;
                    }
                    if (!t.isRegularFile() || !(t.owner().equals(owner) || t.owner().getName().equals("root"))) {
                        throw new IOException("/tmp/" + triggerName + " of process " + pid + " was made by "
                                + t.owner().getName() + (t.isSymbolicLink() ? " as a link" : "")
                                + ", not by routerctl: not using it; remove it and try again");
                    }
                    break; // A trigger its own user left (an attach that was interrupted): it still serves, and stays theirs.
                }
            }
            try {
                signal(pid);
                while (true) {
                    a = tmp.attributes(socketName);
                    if (a != null) {
                        checkSocketFile(pid, a, owner, socketName);
                        return socket;
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw new TimeoutIOException("the JVM " + pid + " did not start its attach listener in time "
                                + "(is it stopped, still starting, or overloaded?)");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            } finally {
                if (trigger != null) {
                    tmp.deleteIfSame(trigger);
                }
            }
        }
    }

    private static void checkSocketFile(long pid, PosixFileAttributes a, UserPrincipal owner, String name)
            throws IOException {
        if (!a.isOther() || a.isSymbolicLink()) {
            throw new IOException("/tmp/" + name + " of process " + pid + " is not a socket: not connecting");
        }
        if (!a.owner().equals(owner)) {
            throw new IOException("/tmp/" + name + " of process " + pid + " belongs to " + a.owner().getName()
                    + ", not to the JVM's user " + owner.getName() + ": not connecting");
        }
    }

    /**
     * The JVM looks for the trigger in its working directory first and, if one is there, never in
     * {@code /tmp}: one planted there by another user would silently make every attach time out.
     */
    private static void checkNoForeignTriggerInWorkingDirectory(long pid, long nsPid, UserPrincipal owner) throws IOException {
        Path inCwd = Path.of("/proc", Long.toString(pid), "cwd", ".attach_pid" + nsPid);
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(inCwd, PosixFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return; // none (or unreadable: the JVM then looks in /tmp)
        }
        if (!(a.owner().equals(owner) || a.owner().getName().equals("root"))) {
            throw new IOException(".attach_pid" + nsPid + " in the working directory of process " + pid
                    + " belongs to " + a.owner().getName() + ", so the JVM will not start its attach listener; remove it");
        }
    }

    private static void checkPeer(long pid, SocketChannel ch) throws IOException {
        UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        UserPrincipal owner = Files.getOwner(Path.of("/proc", Long.toString(pid)));
        if (peer == null || peer.user() == null || !peer.user().equals(owner)) {
            throw new IOException("the process listening on the attach socket of " + pid + " runs as "
                    + (peer == null || peer.user() == null ? "an unknown user" : peer.user().getName())
                    + ", not as the JVM's user " + owner.getName() + ": not talking to it");
        }
    }

    /**
     * SIGQUIT, which a JVM with a trigger file answers by starting its attach listener. Java cannot
     * send it itself; the shell's own {@code kill} can, and {@code /bin/sh} is there even in a
     * container that has a JRE and no {@code kill} program.
     */
    private static void signal(long pid) throws IOException {
        Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -QUIT \"$1\"", "sh", Long.toString(pid))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new IOException("could not signal process " + pid + " (kill -QUIT failed)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling process " + pid);
        }
    }

    /** An attach wait that reached its deadline. */
    public static final class TimeoutIOException extends IOException {
        TimeoutIOException(String message) {
            super(message);
        }
    }

    /** A deadline {@code timeout} from now, for {@link #execute}. */
    public static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }
}
