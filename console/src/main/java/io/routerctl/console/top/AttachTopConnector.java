package io.routerctl.console.top;

import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.attach.AttachDirectory;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.AttachTarget;

import java.nio.file.Path;
import java.time.Duration;
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

    private final Path socket;
    private final String name;
    private final Path directory;
    private final Duration timeout;

    private AttachTopConnector(Path socket, String name, Path directory, Duration timeout) {
        this.socket = socket;
        this.name = name;
        this.directory = directory;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Always the target behind {@code socket}. */
    public static AttachTopConnector forSocket(Path socket, Duration timeout) {
        return new AttachTopConnector(Objects.requireNonNull(socket, "socket"), null, null, timeout);
    }

    /** Whichever live process in {@code directory} calls itself {@code name} (the lowest pid if several do). */
    public static AttachTopConnector forName(String name, Path directory, Duration timeout) {
        return new AttachTopConnector(null, Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(directory, "directory"), timeout);
    }

    @Override
    public TopConnection connect() throws AttachException {
        if (socket != null) {
            return TopConnection.of(AttachClient.connect(socket, timeout));
        }
        AttachException last = null;
        for (AttachTarget candidate : AttachDirectory.targets(directory).stream()
                .sorted(java.util.Comparator.comparingLong(AttachTarget::pid)).toList()) {
            AttachClient client;
            try {
                client = AttachClient.connect(candidate.socket(), timeout);
            } catch (AttachException e) {
                last = e;
                continue;
            }
            if (name.equals(client.target().name())) {
                return TopConnection.of(client);
            }
            client.close();
        }
        throw new AttachException("no attachable process named " + name + " in " + directory
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
