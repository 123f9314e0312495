package io.routerctl.console.attach;

import io.routerctl.probes.attach.AttachDirectory;
import io.routerctl.probes.attach.AttachTarget;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Targets in containers: processes in another mount namespace, whose attach socket lives in their
 * own file system. Found the way jcmd finds JVMs there: through {@code /proc/<pid>/root}, with the
 * process's own pid from the last field of {@code NSpid} in {@code /proc/<pid>/status}. So a target
 * is listed, and attached to, by the pid the host (or a sidecar sharing its pid namespace) sees.
 *
 * <h2>Where a container's socket is</h2>
 * In the directory the process itself would use ({@link AttachDirectory}): its
 * {@code ROUTERCTL_ATTACH_DIR} or {@code -Drouterctl.attach.dir}, else its
 * {@code XDG_RUNTIME_DIR/routerctl}, else {@code /tmp/routerctl-<uid>} with its uid as its user
 * namespace maps it; each under {@code /proc/<pid>/root}. Nothing found there is deleted: a
 * container's sockets are its own to clean.
 *
 * <h2>Trust</h2>
 * Only processes whose {@code /proc} entries this user may read are looked at; the sockets found
 * pass the same checks as any other ({@link AttachDirectory#problemConnecting}, then the peer's
 * credentials and the hello's pid when connecting).
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread.
 */
public final class ContainerTargets {

    static final Path PROC = Path.of("/proc");

    private ContainerTargets() {
    }

    /** Whether {@code pid} runs in a mount namespace other than this process's (a container). */
    public static boolean inOtherMountNamespace(long pid) {
        String mine = namespace("self", "mnt");
        String theirs = namespace(Long.toString(pid), "mnt");
        return mine != null && theirs != null && !mine.equals(theirs);
    }

    /** The pid {@code pid} has in its own (innermost) pid namespace, or {@code pid} if that cannot be read. */
    public static long namespacePid(long pid) {
        return ProcFiles.namespacePid(pid);
    }

    /** The attach socket of {@code pid} when it runs in another mount namespace and has one. */
    public static Optional<Path> socketOf(long pid) {
        if (pid <= 0 || !inOtherMountNamespace(pid)) {
            return Optional.empty();
        }
        long inside = namespacePid(pid);
        for (Path dir : directoriesOf(pid)) {
            Path socket = AttachDirectory.socketOf(dir, inside);
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(socket);
            }
        }
        return Optional.empty();
    }

    /** Every process in another mount namespace with an attach socket, by host pid. */
    public static List<AttachTarget> all() {
        List<AttachTarget> out = new ArrayList<>();
        String mine = namespace("self", "mnt");
        if (mine == null) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, e -> e.getFileName().toString().matches("[0-9]+"))) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                String theirs = namespace(Long.toString(pid), "mnt");
                if (theirs == null || theirs.equals(mine)) {
                    continue;
                }
                socketOf(pid).ifPresent(s -> out.add(new AttachTarget(pid, s)));
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    /** Where {@code pid} would put its socket, as paths under its root seen from here. */
    static List<Path> directoriesOf(long pid) {
        Path root = PROC.resolve(pid + "/root");
        Set<String> inside = new LinkedHashSet<>();
        String environ = ProcFiles.read(PROC.resolve(pid + "/environ"));
        String cmdline = ProcFiles.read(PROC.resolve(pid + "/cmdline"));
        if (cmdline != null) {
            for (String arg : cmdline.split("\0")) {
                if (arg.startsWith("-D" + AttachDirectory.DIR_PROPERTY + "=")) {
                    inside.add(arg.substring(AttachDirectory.DIR_PROPERTY.length() + 3));
                }
            }
        }
        String xdg = null;
        if (environ != null) {
            for (String var : environ.split("\0")) {
                if (var.startsWith(AttachDirectory.DIR_ENV + "=")) {
                    inside.add(var.substring(AttachDirectory.DIR_ENV.length() + 1));
                } else if (var.startsWith("XDG_RUNTIME_DIR=")) {
                    xdg = var.substring("XDG_RUNTIME_DIR=".length());
                }
            }
        }
        if (xdg != null && xdg.startsWith("/")) {
            inside.add(xdg + "/routerctl");
        }
        int uid = uidInside(pid);
        if (uid >= 0) {
            inside.add("/tmp/routerctl-" + uid);
        }
        List<Path> out = new ArrayList<>();
        for (String p : inside) {
            if (p.startsWith("/") && !p.contains("/../") && !p.endsWith("/..")) {
                out.add(root.resolve(p.substring(1)));
            }
        }
        return out;
    }

    /** The uid {@code pid} runs as, as its own user namespace numbers it; -1 if unknown. */
    static int uidInside(long pid) {
        int host = ProcFiles.ownerUid(PROC.resolve(Long.toString(pid)));
        if (host < 0) {
            return -1;
        }
        String map = ProcFiles.read(PROC.resolve(pid + "/uid_map"));
        if (map == null) {
            return host;
        }
        for (String line : map.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                try {
                    long in = Long.parseLong(f[0]);
                    long out = Long.parseLong(f[1]);
                    long count = Long.parseLong(f[2]);
                    if (host >= out && host < out + count) {
                        return (int) (host - out + in);
                    }
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static String namespace(String pid, String kind) {
        try {
            return Files.readSymbolicLink(PROC.resolve(pid + "/ns/" + kind)).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

}
