package io.routerctl.console.agent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * A target process's {@code /tmp}, opened as a directory through {@code /proc/<pid>/root} without
 * following a link, and every file operation in it made relative to that open directory
 * ({@code openat}, {@code O_NOFOLLOW}, {@code O_EXCL}, {@code fchmod} on an open descriptor,
 * {@code renameat}, {@code unlinkat}, through {@link SecureDirectoryStream}). Whoever else can
 * write there (another user, a container's tenant) can neither lead an operation out of that
 * directory with a link nor make routerctl change a file it did not create: a container whose
 * {@code /tmp} is a link is refused, a name that is a link is never followed, a file is made new
 * or not at all, and a file is removed only if it is still the one that was made.
 *
 * <pre>{@code
 * try (TargetTmp tmp = TargetTmp.of(pid)) {
 *     TargetTmp.Created trigger = tmp.createNew(".attach_pid" + nsPid);
 *     ...
 *     tmp.deleteIfSame(trigger);
 * }
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * One thread at a time.
 */
final class TargetTmp implements AutoCloseable {

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final long pid;
    private final SecureDirectoryStream<Path> root;
    private final SecureDirectoryStream<Path> tmp;

    private TargetTmp(long pid, SecureDirectoryStream<Path> root, SecureDirectoryStream<Path> tmp) {
        this.pid = pid;
        this.root = root;
        this.tmp = tmp;
    }

    /** A file this process created in the directory, identified by its inode. */
    record Created(String name, Object fileKey) {
    }

    /**
     * Opens {@code pid}'s {@code /tmp} as the process itself sees it (its mount namespace's).
     *
     * @throws IOException with a one-line reason: no such process, {@code /tmp} a link or not a
     *                     directory, or this platform cannot confine file operations to a directory
     */
    static TargetTmp of(long pid) throws IOException {
        Path rootPath = Path.of("/proc", Long.toString(pid), "root");
        DirectoryStream<Path> r;
        try {
            r = Files.newDirectoryStream(rootPath);
        } catch (NoSuchFileException e) {
            throw new IOException("no process " + pid);
        } catch (FileSystemException e) {
            throw new IOException("cannot open the root directory of process " + pid + ": " + reason(e));
        }
        if (!(r instanceof SecureDirectoryStream<Path> root)) {
            r.close();
            throw new IOException("this platform cannot confine file operations to a directory (no openat): "
                    + "routerctl will not write into another process's /tmp");
        }
        try {
            SecureDirectoryStream<Path> tmp = root.newDirectoryStream(Path.of("tmp"), NOFOLLOW);
            return new TargetTmp(pid, root, tmp);
        } catch (FileSystemException e) {
            root.close();
            String why = reason(e);
            if (why.contains("symbolic link") || why.contains("Too many levels")) {
                throw new IOException("/tmp of process " + pid + " is a symbolic link: routerctl writes nothing through it");
            }
            throw new IOException("cannot open /tmp of process " + pid + ": " + why);
        } catch (IOException | RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** What {@code name} is, without following a link; {@code null} if there is nothing by that name. */
    PosixFileAttributes attributes(String name) throws IOException {
        try {
            return tmp.getFileAttributeView(Path.of(name), PosixFileAttributeView.class, NOFOLLOW).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Creates {@code name} anew ({@code O_CREAT|O_EXCL|O_NOFOLLOW}, mode 0600), empty.
     *
     * @throws FileAlreadyExistsException if anything, a link included, has that name already
     */
    Created createNew(String name) throws IOException {
        try (SeekableByteChannel ch = tmp.newByteChannel(Path.of(name),
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            // Empty: its existence is the message.
        }
        PosixFileAttributes a = attributes(name);
        if (a == null || !a.isRegularFile()) {
            throw new IOException("/tmp/" + name + " of process " + pid + " changed as it was made");
        }
        return new Created(name, a.fileKey());
    }

    /** Removes {@code file} if the name still is that file (same inode); says whether it did. */
    boolean deleteIfSame(Created file) {
        try {
            PosixFileAttributes a = attributes(file.name());
            if (a != null && a.isRegularFile() && file.fileKey() != null && file.fileKey().equals(a.fileKey())) {
                tmp.deleteFile(Path.of(file.name()));
                return true;
            }
        } catch (IOException | RuntimeException e) {
            // Left behind, untouched: a name that is no longer ours is not ours to remove.
        }
        return false;
    }

    /**
     * Puts a copy of {@code source} at {@code name}, readable by everyone (the target may run as
     * another user): reused if a regular file of that size, made by this user (or root), already has
     * the same content; otherwise written to a fresh file created here, made readable through its
     * own descriptor, checked by size and hash, and renamed over {@code name}. A partial file is
     * removed, and a full disk is said in one line.
     */
    void copyIn(Path source, String name) throws IOException {
        long size = Files.size(source);
        String digest = digest(source);
        PosixFileAttributes existing = attributes(name);
        if (existing != null && existing.isRegularFile() && existing.size() == size && ownedByUsOrRoot(existing.owner())
                && digest.equals(digestOf(name))) {
            return;
        }
        String part = "." + name + "." + Long.toHexString(System.nanoTime()) + ".part";
        Created created = null;
        try {
            Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, NOFOLLOW);
            try (SeekableByteChannel out = tmp.newByteChannel(Path.of(part), options,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                 InputStream in = Files.newInputStream(source)) {
                PosixFileAttributes a = attributes(part);
                created = new Created(part, a == null ? null : a.fileKey());
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                }
            }
            PosixFileAttributeView view = tmp.getFileAttributeView(Path.of(part), PosixFileAttributeView.class, NOFOLLOW);
            view.setPermissions(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
            PosixFileAttributes written = view.readAttributes();
            if (!written.isRegularFile() || written.size() != size || !written.fileKey().equals(created.fileKey())
                    || !digest.equals(digestOf(part))) {
                throw new IOException("the copy changed as it was written (someone else writes there)");
            }
            tmp.move(Path.of(part), tmp, Path.of(name));
            created = null;
        } catch (IOException e) {
            String why = e instanceof FileSystemException fse ? reason(fse) : String.valueOf(e.getMessage());
            if (why.contains("No space left") || why.contains("Disk quota exceeded")) {
                throw new IOException("no space left in /tmp of process " + pid + " for the agent jar ("
                        + size + " bytes); free some and try again");
            }
            throw new IOException("cannot copy the agent jar into /tmp of process " + pid + ": " + why);
        } finally {
            if (created != null) {
                deleteIfSame(created);
            }
        }
    }

    private static boolean ownedByUsOrRoot(UserPrincipal owner) throws IOException {
        UserPrincipal self = Files.getOwner(Path.of("/proc/self"));
        return owner.equals(self) || owner.getName().equals("root");
    }

    private String digestOf(String name) throws IOException {
        try (SeekableByteChannel in = tmp.newByteChannel(Path.of(name), Set.of(StandardOpenOption.READ, NOFOLLOW))) {
            MessageDigest sha = sha256();
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            while (in.read(buf) > 0) {
                buf.flip();
                sha.update(buf);
                buf.clear();
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    /** The SHA-256 of {@code file}, in hex. */
    static String digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = sha256();
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String reason(FileSystemException e) {
        String r = e.getReason();
        return r != null ? r : String.valueOf(e.getMessage());
    }

    @Override
    public void close() {
        try {
            tmp.close();
        } catch (IOException ignored) {
            // Nothing left to do.
        }
        try {
            root.close();
        } catch (IOException ignored) {
            // Nothing left to do.
        }
    }
}
