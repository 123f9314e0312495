package io.routerctl.console.top;

import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.attach.AttachDirectory;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.AttachTarget;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Connects {@code top} through the attach socket. Chosen by socket (or pid, which names a socket),
 * only that socket counts as the target coming back; chosen by name, any live process in the attach
 * directory whose hello gives that name counts, so a restarted service (a new pid) is picked up.
 *
 * <h2>Thread safety</h2>
 * Immutable; {@link #connect()} may be called from any thread.
 */
public final class AttachTopConnector implements TopConnector {

    /** Opens one socket; {@link AttachException} if it cannot. */
    interface SocketOpener {
        TopConnection open(Path socket) throws AttachException;
    }

    /** Lists the targets in one directory; {@link AttachException} if it must not be trusted. */
    interface Lister {
        List<AttachTarget> targets(Path directory) throws AttachException;
    }

    private final Path socket;
    private final String name;
    private final List<Path> directories;
    private final SocketOpener opener;
    private final Lister lister;

    AttachTopConnector(Path socket, String name, List<Path> directories, SocketOpener opener, Lister lister) {
        this.socket = socket;
        this.name = name;
        this.directories = directories;
        this.opener = Objects.requireNonNull(opener, "opener");
        this.lister = Objects.requireNonNull(lister, "lister");
    }

    /** Always the target behind {@code socket}. */
    public static AttachTopConnector forSocket(Path socket, Duration timeout) {
        return new AttachTopConnector(Objects.requireNonNull(socket, "socket"), null, null, opener(timeout),
                AttachDirectory::targets);
    }

    /**
     * Whichever live process in {@code directories} calls itself {@code name} (the lowest pid if
     * several do).
     */
    public static AttachTopConnector forName(String name, List<Path> directories, Duration timeout) {
        return new AttachTopConnector(null, Objects.requireNonNull(name, "name"),
                List.copyOf(directories), opener(timeout), AttachDirectory::targets);
    }

    private static SocketOpener opener(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return path -> TopConnection.of(AttachClient.connect(path, timeout));
    }

    @Override
    public TopConnection connect() throws AttachException {
        if (socket != null) {
            return opener.open(socket);
        }
        AttachException last = null;
        List<AttachTarget> found = new ArrayList<>();
        for (Path directory : directories) {
            found.addAll(lister.targets(directory));
        }
        List<AttachTarget> candidates = found.stream().sorted(Comparator.comparingLong(AttachTarget::pid)).toList();
        for (AttachTarget candidate : candidates) {
            TopConnection connection;
            try {
                connection = opener.open(candidate.socket());
            } catch (AttachException e) {
                last = e;
                continue;
            }
            if (name.equals(connection.target().name())) {
                return connection;
            }
            connection.close();
        }
        throw new AttachException("no attachable process named " + name + " in "
                + String.join(" or ", directories.stream().map(Path::toString).toList())
                + (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    @Override
    public String describe() {
        if (socket != null) {
            String file = socket.getFileName() == null ? socket.toString() : socket.getFileName().toString();
            return file.endsWith(".sock") ? "pid " + file.substring(0, file.length() - ".sock".length())
                    : "socket " + socket;
        }
        return "name " + name;
    }
}
