package io.routerctl.probes.attach;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-user directory where attach sockets live, one {@code <pid>.sock} per attachable process,
 * discoverable the way {@code jps} finds JVMs.
 *
 * <p>Resolved as: system property {@value #DIR_PROPERTY}, else environment variable
 * {@value #DIR_ENV}, else {@code /tmp/routerctl-<user>}. A server {@linkplain #prepare prepares} it
 * (created with mode 0700; refused if another user owns it or others may write to it); clients
 * only {@linkplain #targets list} it.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. Nothing returns {@code null}.
 */
public final class AttachDirectory {

    /** {@code routerctl.attach.dir}: the attach directory; default {@code /tmp/routerctl-<user>}. */
    public static final String DIR_PROPERTY = "routerctl.attach.dir";
    /** The environment variable consulted when the property is not set. */
    public static final String DIR_ENV = "ROUTERCTL_ATTACH_DIR";
    static final String DIR_DEFAULT_PREFIX = "/tmp/routerctl-";

    private static final Pattern SOCKET_NAME = Pattern.compile("([0-9]{1,19})\\.sock");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private AttachDirectory() {
    }

    /** The directory for this user (not created; see {@link #prepare}). */
    public static Path resolve() {
        return resolve(System::getProperty, System::getenv, System.getProperty("user.name"));
    }

    static Path resolve(Function<String, String> properties, Function<String, String> environment, String user) {
        String fromProperty = properties.apply(DIR_PROPERTY);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Path.of(fromProperty);
        }
        String fromEnv = environment.apply(DIR_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(DIR_DEFAULT_PREFIX + (user == null || user.isBlank() ? "unknown" : user));
    }

    /** Where the process {@code pid} listens in {@code dir}. */
    public static Path socketOf(Path dir, long pid) {
        return dir.resolve(pid + ".sock");
    }

    /**
     * Creates {@code dir} with mode 0700 if missing, then checks that it is a real directory owned by
     * this process's user that neither group nor others may write to: otherwise another user could
     * plant or replace sockets in it.
     *
     * @return {@code dir}
     * @throws IOException saying in one line what is wrong and how to fix it
     */
    public static Path prepare(Path dir) throws IOException {
        boolean created = false;
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                created = true;
            } catch (FileAlreadyExistsException raced) {
                // Someone created it between our check and now: it is verified below like any other.
            }
        }
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            throw new IOException("attach directory " + dir + " is on a file system without POSIX permissions");
        }
        if (attributes.isSymbolicLink() || !attributes.isDirectory()) {
            throw new IOException("attach directory " + dir + " is not a directory (or is a symbolic link)");
        }
        UserPrincipal self = currentUser(dir);
        if (self != null && !attributes.owner().getName().equals(self.getName())) {
            throw new IOException("attach directory " + dir + " belongs to " + attributes.owner().getName()
                    + ", not to " + self.getName() + "; set " + DIR_PROPERTY + " or " + DIR_ENV + " to a directory of your own");
        }
        if (created) {
            // The umask may have narrowed the mode; make sure it is exactly 0700.
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        } else if (attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("attach directory " + dir + " is writable by group or others (mode "
                    + PosixFilePermissions.toString(attributes.permissions()) + "); run: chmod 700 " + dir);
        }
        return dir;
    }

    /** This process's user: the owner of {@code /proc/self} on Linux, else looked up by name. */
    static UserPrincipal currentUser(Path anyPathOnTheFileSystem) {
        try {
            Path procSelf = Path.of("/proc/self");
            if (Files.exists(procSelf)) {
                return Files.getOwner(procSelf);
            }
            return anyPathOnTheFileSystem.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** The live targets in the {@linkplain #resolve() resolved} directory. */
    public static List<AttachTarget> targets() {
        return targets(resolve());
    }

    /**
     * The live targets in {@code dir}, by pid; sockets whose process is gone are skipped and
     * removed. A missing or unreadable directory has no targets.
     */
    public static List<AttachTarget> targets(Path dir) {
        List<AttachTarget> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.sock")) {
            for (Path entry : entries) {
                Matcher m = SOCKET_NAME.matcher(entry.getFileName().toString());
                if (!m.matches() || Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (isAlive(pid)) {
                    out.add(new AttachTarget(pid, entry));
                } else {
                    try {
                        Files.deleteIfExists(entry);
                    } catch (IOException e) {
                        // Not ours to remove (another user's directory?); skipping it is enough.
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparingLong(AttachTarget::pid));
        return out;
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
