package io.routerctl.probes.attach;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-user directory where attach sockets live, one {@code <pid>.sock} per attachable process,
 * discoverable the way {@code jps} finds JVMs, and the checks both sides make before trusting it.
 *
 * <h2>Where</h2>
 * The system property {@value #DIR_PROPERTY}, else the environment variable {@value #DIR_ENV},
 * else {@code $XDG_RUNTIME_DIR/routerctl} when {@code XDG_RUNTIME_DIR} is set (a directory the
 * login session owns, gone at logout), else {@code /tmp/routerctl-<uid>}: keyed by the numeric
 * user id, never by the name. A client also looks in {@code /tmp/routerctl-<uid>} when it resolved
 * the runtime directory, since a service started without a session (systemd, cron) has no
 * {@code XDG_RUNTIME_DIR}.
 *
 * <h2>What is trusted</h2>
 * Anyone may create a directory in {@code /tmp} first, plant sockets there, and wait. So a
 * directory is used only when it is a real directory (not a symbolic link) owned by the user of
 * this process, that group and others may not write to; a socket only when it is a socket owned by
 * that user or root; a peer only when {@code SO_PEERCRED} names that user or root. Users are
 * compared by numeric uid; when the uid of this process cannot be learned nothing is trusted (fail
 * closed). A server {@linkplain #prepare prepares} the directory (creating it 0700) and refuses to
 * start on an unsafe one; a client {@linkplain #checkPrivate checks} it and refuses to look into it.
 * Either says, in one line, what is wrong and how to fix it.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. Nothing returns {@code null} unless it says so.
 */
public final class AttachDirectory {

    /** {@code routerctl.attach.dir}: the attach directory. */
    public static final String DIR_PROPERTY = "routerctl.attach.dir";
    /** The environment variable consulted when the property is not set. */
    public static final String DIR_ENV = "ROUTERCTL_ATTACH_DIR";
    /** The login session's private runtime directory, when there is one. */
    static final String XDG_ENV = "XDG_RUNTIME_DIR";
    static final String TMP_PREFIX = "/tmp/routerctl-";

    private static final Pattern SOCKET_NAME = Pattern.compile("([0-9]{1,19})\\.sock");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final int ROOT = 0;

    private AttachDirectory() {
    }

    /** The directory this process uses (not created; see {@link #prepare}). */
    public static Path resolve() {
        return resolve(System::getProperty, System::getenv, uid());
    }

    static Path resolve(Function<String, String> properties, Function<String, String> environment, int uid) {
        String fromProperty = properties.apply(DIR_PROPERTY);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Path.of(fromProperty);
        }
        String fromEnv = environment.apply(DIR_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        String runtime = environment.apply(XDG_ENV);
        if (runtime != null && runtime.startsWith("/")) {
            return Path.of(runtime, "routerctl");
        }
        return tmpDirectory(uid);
    }

    /**
     * Every directory a client looks in, most specific first: {@link #resolve()}, and
     * {@code /tmp/routerctl-<uid>} too when that was the session's runtime directory.
     */
    public static List<Path> searched() {
        Path resolved = resolve();
        Path tmp = tmpDirectory(uid());
        boolean chosen = System.getProperty(DIR_PROPERTY) != null || System.getenv(DIR_ENV) != null;
        return chosen || resolved.equals(tmp) ? List.of(resolved) : List.of(resolved, tmp);
    }

    static Path tmpDirectory(int uid) {
        return Path.of(TMP_PREFIX + (uid < 0 ? "unknown" : Integer.toString(uid)));
    }

    /** Where the process {@code pid} listens in {@code dir}. */
    public static Path socketOf(Path dir, long pid) {
        return dir.resolve(pid + ".sock");
    }

    /** The pid a socket's name says, or -1 if it is not named {@code <pid>.sock}. */
    public static long pidOf(Path socket) {
        Matcher m = SOCKET_NAME.matcher(socket.getFileName().toString());
        if (!m.matches()) {
            return -1;
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---------------------------------------------------------------- users, by uid

    /** The numeric uid of this process, or -1 if it cannot be learned (then nothing is trusted). */
    public static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The uid owning {@code path} itself (a link is not followed), or -1 if it cannot be read. */
    static int ownerUid(Path path) {
        try {
            return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Whether {@code uid} is this process's own user or root. Unknown: no (fail closed). */
    static boolean ownOrRoot(int uid) {
        int self = uid();
        return self >= 0 && uid >= 0 && (uid == self || uid == ROOT);
    }

    // ---------------------------------------------------------------- the directory

    /**
     * Creates {@code dir} with mode 0700 if missing, then {@linkplain #checkPrivate checks} it:
     * a service must not serve from a directory another user could plant or replace sockets in.
     *
     * @return {@code dir}
     * @throws IOException saying in one line what is wrong and how to fix it
     */
    public static Path prepare(Path dir) throws IOException {
        boolean created = false;
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.exists(parent)) {
                Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                created = true;
            } catch (FileAlreadyExistsException raced) {
                // Someone created it between our check and now: it is checked below like any other.
            }
        }
        if (created) {
            // The umask may have narrowed the mode; make sure it is exactly 0700.
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
        String problem = problemWith(dir, false);
        if (problem != null) {
            throw new IOException(problem);
        }
        return dir;
    }

    /**
     * Checks that {@code dir} is safe to look for targets in: a real directory owned by this
     * process's user (or root), not writable by group or others.
     *
     * @throws UnsafeDirectoryException saying in one line what is wrong and how to fix it
     */
    public static void checkPrivate(Path dir) throws UnsafeDirectoryException {
        String problem = problemWith(dir, true);
        if (problem != null) {
            throw new UnsafeDirectoryException(problem);
        }
    }

    /**
     * What makes {@code dir} unsafe, in one line with the fix, or null if it is safe. A server
     * serves only from a directory of its own user; a client also trusts one of root's.
     */
    static String problemWith(Path dir, boolean rootMayOwn) {
        String fix = "; set " + DIR_PROPERTY + " or " + DIR_ENV + " to a directory of your own";
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return "attach directory " + dir + " does not exist";
        } catch (UnsupportedOperationException e) {
            return "attach directory " + dir + " is on a file system without POSIX permissions" + fix;
        } catch (IOException e) {
            return "attach directory " + dir + " cannot be read: " + e.getMessage();
        }
        if (a.isSymbolicLink()) {
            return "attach directory " + dir + " is a symbolic link, which another user could point anywhere; "
                    + "remove it (rm " + dir + ")" + fix;
        }
        if (!a.isDirectory()) {
            return "attach directory " + dir + " is not a directory" + fix;
        }
        int self = uid();
        if (self < 0) {
            return "cannot learn this process's user id, so " + dir + " cannot be checked" + fix;
        }
        int owner = ownerUid(dir);
        if (owner != self && !(rootMayOwn && owner == ROOT)) {
            return "attach directory " + dir + " belongs to uid " + owner + ", not to you (uid " + self
                    + "): another user may have created it first; remove it (as root: rm -r " + dir + ")" + fix;
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            return "attach directory " + dir + " is writable by group or others (mode "
                    + PosixFilePermissions.toString(a.permissions()) + "); run: chmod 700 " + dir;
        }
        return null;
    }

    // ---------------------------------------------------------------- sockets

    /**
     * What makes {@code socket} untrustworthy before connecting to it, in one line, or null. Found
     * in a directory (by {@link #targets}) the socket must be one of this user or root. Named
     * explicitly, it may also be another user's when this process is root, provided that user owns
     * its directory too (root attaching to a service in that service's own private directory).
     * Its directory must be a real one that group and others may not write to. A socket that does
     * not exist is no problem here: connecting says so.
     */
    public static String problemConnecting(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (!isSocket(socket)) {
            return socket + " is not a socket";
        }
        int owner = ownerUid(socket);
        Path dir = socket.toAbsolutePath().getParent();
        if (ownOrRoot(owner)) {
            return dir == null ? null : problemWith(dir, true);
        }
        if (uid() == ROOT && dir != null && ownerUid(dir) == owner) {
            String problem = problemWith(dir, owner);
            return problem;
        }
        return socket + " belongs to uid " + owner + ", neither you (uid " + uid() + ") nor root";
    }

    /** {@link #problemWith(Path, boolean)} for a directory that must belong to {@code owner}. */
    private static String problemWith(Path dir, int owner) {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return "attach directory " + dir + " cannot be read: " + e.getMessage();
        }
        if (a.isSymbolicLink() || !a.isDirectory() || ownerUid(dir) != owner) {
            return "attach directory " + dir + " is not a real directory of uid " + owner;
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            return "attach directory " + dir + " is writable by group or others (mode "
                    + PosixFilePermissions.toString(a.permissions()) + "), so its sockets may be anyone's";
        }
        return null;
    }

    /** The live targets in the {@linkplain #resolve() resolved} directory. */
    public static List<AttachTarget> targets() throws UnsafeDirectoryException {
        return targets(resolve());
    }

    /**
     * The targets in {@code dir}, by pid: every {@code <pid>.sock} that is a socket of this user or
     * root and that a process listens on. A socket nobody listens on is stale (its process died
     * without removing it) and is removed: proven by a refused connect, never by looking up its pid,
     * which a process in another pid namespace does not share with us. A missing directory has no
     * targets.
     *
     * @throws UnsafeDirectoryException when the directory exists but must not be trusted
     */
    public static List<AttachTarget> targets(Path dir) throws UnsafeDirectoryException {
        List<AttachTarget> out = new ArrayList<>();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        checkPrivate(dir);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.sock")) {
            for (Path entry : entries) {
                long pid = pidOf(entry);
                if (pid <= 0 || !isSocket(entry) || !ownOrRoot(ownerUid(entry))) {
                    continue;
                }
                switch (probe(entry)) {
                    case LISTENING -> out.add(new AttachTarget(pid, entry));
                    case STALE -> deleteQuietly(entry);
                    case UNKNOWN -> {
                        // Could not tell (out of descriptors, a full backlog): keep it, list nothing.
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparingLong(AttachTarget::pid));
        return out;
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    /** Whether {@code p} itself (not what a link points to) is a socket. */
    static boolean isSocket(Path p) {
        try {
            return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT) == S_IFSOCK;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** What connecting to a socket says of it. */
    enum Probe { LISTENING, STALE, UNKNOWN }

    /** Connects and closes at once: a listener answers, a stale socket refuses. */
    static Probe probe(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return Probe.LISTENING;
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            return m.contains("Connection refused") || m.contains("No such file") ? Probe.STALE : Probe.UNKNOWN;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // Not ours to remove after all; skipping it is enough.
        }
    }
}
