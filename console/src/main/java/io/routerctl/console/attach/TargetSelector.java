package io.routerctl.console.attach;

import io.routerctl.console.context.CommandException;
import io.routerctl.probes.attach.AttachClient;
import io.routerctl.probes.attach.AttachDirectory;
import io.routerctl.probes.attach.AttachException;
import io.routerctl.probes.attach.AttachTarget;
import io.routerctl.probes.attach.UnsafeDirectoryException;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Finds targets in the attach directories and connects to the one the user meant.
 *
 * <h2>Which target</h2>
 * <ol>
 *   <li>{@code --socket PATH}: that socket.</li>
 *   <li>{@code --pid N}: {@code N.sock} in the first attach directory that has one; else, when N
 *       runs in a container (another mount namespace), its socket there
 *       ({@link ContainerTargets}).</li>
 *   <li>Neither: the only live target in the attach directories. With none, exit 3 ("no attachable
 *       process found in DIR"); with several, exit 2 after listing them, so the user can pick one
 *       with {@code --pid}.</li>
 * </ol>
 *
 * <h2>What is believed</h2>
 * A directory another user could write to, or that is a symbolic link or another user's, is
 * refused with exit 3 and one line saying how to fix it; {@link AttachClient#connect} refuses a
 * socket, peer or hello that is not what it should be. Only sockets a process listens on count as
 * targets: a leftover socket file is neither listed nor a reason for "2 targets".
 *
 * <h2>Thread safety</h2>
 * Immutable; safe from any thread. {@link #survey()} uses a few short-lived daemon threads to ask
 * the targets in parallel, so a list of targets takes one timeout at most, not one per target.
 */
public final class TargetSelector {

    /** The most targets {@link #survey()} asks at once. */
    static final int SURVEY_PARALLELISM = 8;

    private final List<Path> attachDirs;
    private final Duration timeout;

    /**
     * @param attachDirs where attach sockets live, most specific first; not empty
     * @param timeout    how long to wait for a target's hello
     */
    public TargetSelector(List<Path> attachDirs, Duration timeout) {
        if (attachDirs.isEmpty()) {
            throw new IllegalArgumentException("no attach directory");
        }
        this.attachDirs = List.copyOf(attachDirs);
        this.timeout = timeout;
    }

    /** The directories searched, most specific first. */
    public List<Path> attachDirs() {
        return attachDirs;
    }

    /**
     * The targets a process listens for in the attach directories, by pid (without asking them
     * anything); empty if none.
     *
     * @throws CommandException exit 3 if a directory must not be trusted
     */
    public List<AttachTarget> targets() {
        List<AttachTarget> out = new ArrayList<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (Path dir : attachDirs) {
            try {
                for (AttachTarget t : AttachDirectory.targets(dir)) {
                    if (seen.add(t.pid())) {
                        out.add(t);
                    }
                }
            } catch (UnsafeDirectoryException e) {
                throw CommandException.cannotAttach(e.getMessage());
            }
        }
        for (AttachTarget t : ContainerTargets.all()) {
            if (seen.add(t.pid())) {
                out.add(t);
            }
        }
        out.sort(java.util.Comparator.comparingLong(AttachTarget::pid));
        return out;
    }

    private String where() {
        return attachDirs.size() == 1 ? attachDirs.get(0).toString()
                : String.join(" or ", attachDirs.stream().map(Path::toString).toList());
    }

    /** Every live target with its hello, or why it did not answer within the timeout; by pid. */
    public List<TargetStatus> survey() {
        return survey(targets());
    }

    private List<TargetStatus> survey(List<AttachTarget> targets) {
        if (targets.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(SURVEY_PARALLELISM, targets.size()), r -> {
            Thread t = new Thread(r, "routerctl-survey");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<TargetStatus>> answers = new ArrayList<>();
            for (AttachTarget target : targets) {
                answers.add(CompletableFuture.supplyAsync(() -> hello(target), pool)
                        // The client honours the timeout itself; this is the backstop if it did not.
                        .completeOnTimeout(TargetStatus.failed(target.pid(), target.socket(), TargetStatus.State.NOT_ANSWERING,
                                "no hello within " + timeout.toMillis() + "ms"), timeout.toMillis() * 2 + 1_000, TimeUnit.MILLISECONDS));
            }
            List<TargetStatus> out = new ArrayList<>(answers.size());
            for (CompletableFuture<TargetStatus> answer : answers) {
                out.add(answer.join());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private TargetStatus hello(AttachTarget target) {
        try (AttachClient client = AttachClient.connect(target.socket(), timeout)) {
            return TargetStatus.answered(target.pid(), target.socket(), client.target());
        } catch (AttachException e) {
            return TargetStatus.failed(target.pid(), target.socket(), TargetStatus.State.of(e.reason()), e.getMessage());
        } catch (RuntimeException e) {
            return TargetStatus.failed(target.pid(), target.socket(), TargetStatus.State.NOT_ANSWERING,
                    String.valueOf(e.getMessage()));
        }
    }

    /**
     * Connects to the target {@code pid} or {@code socket} names (at most one of them non-null), or
     * to the only live target when both are {@code null}.
     *
     * @throws CommandException exit 3 if there is no target or it cannot be reached; exit 2 with
     *                          the list of targets as detail if several could be meant
     */
    public AttachedTarget attach(Long pid, Path socket) {
        if (socket != null) {
            return connect(socket, socket.toString());
        }
        if (pid != null) {
            for (Path dir : attachDirs) {
                if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        AttachDirectory.checkPrivate(dir);
                    } catch (UnsafeDirectoryException e) {
                        throw CommandException.cannotAttach(e.getMessage());
                    }
                }
                Path path = AttachDirectory.socketOf(dir, pid);
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    return connect(path, "pid " + pid + " (" + path + ")");
                }
            }
            java.util.Optional<Path> inContainer = ContainerTargets.socketOf(pid);
            if (inContainer.isPresent()) {
                return connect(inContainer.get(), "pid " + pid + " (" + inContainer.get() + ")");
            }
            throw CommandException.cannotAttach("no attach socket for pid " + pid + " in " + where()
                    + " (is it running with routerctl probes? see routerctl list)");
        }
        List<AttachTarget> targets = targets();
        if (targets.isEmpty()) {
            throw CommandException.cannotAttach("no attachable process found in " + where()
                    + " (is the service running with routerctl probes?)");
        }
        if (targets.size() > 1) {
            String list = TargetTable.of(survey(targets)).render();
            throw new CommandException(io.routerctl.console.context.ExitCode.USAGE,
                    targets.size() + " targets; choose one with --pid", list);
        }
        AttachTarget only = targets.get(0);
        return connect(only.socket(), "pid " + only.pid() + " (" + only.socket() + ")");
    }

    /**
     * Connects to the live target whose hello gives {@code name}.
     *
     * @throws CommandException exit 3 if none does (with the targets there are as detail); exit 2
     *                          with them listed if several do
     */
    public AttachedTarget attachByName(String name) {
        TargetStatus only = findByName(name);
        return connect(only.socket(), "pid " + only.pid() + " (" + only.socket() + ")");
    }

    /**
     * The live target whose hello gives {@code name}, with the pid this host sees it by.
     *
     * @throws CommandException as {@link #attachByName}
     */
    public TargetStatus findByName(String name) {
        List<TargetStatus> all = survey();
        List<TargetStatus> named = all.stream()
                .filter(t -> t.info() != null && name.equals(t.info().name())).toList();
        if (named.isEmpty()) {
            throw new CommandException(io.routerctl.console.context.ExitCode.CANNOT_ATTACH,
                    "no attachable process named " + io.routerctl.console.render.Printable.of(name) + " in " + where()
                            + " (see routerctl list)", all.isEmpty() ? null : TargetTable.of(all).render());
        }
        if (named.size() > 1) {
            throw new CommandException(io.routerctl.console.context.ExitCode.USAGE,
                    named.size() + " targets named " + io.routerctl.console.render.Printable.of(name)
                            + "; choose one with --pid", TargetTable.of(named).render());
        }
        return named.get(0);
    }

    /**
     * How much longer than the hello's timeout a request may take: a full GC and the examination of
     * what it collected ({@code dump-stuck --gc}) take a few seconds; nothing takes longer.
     */
    public static final Duration REQUEST_GRACE = Duration.ofSeconds(10);

    private AttachedTarget connect(Path socket, String what) {
        try {
            return new AttachedTarget(socket, AttachClient.connect(socket, timeout, timeout.plus(REQUEST_GRACE)));
        } catch (AttachException e) {
            throw CommandException.cannotAttach("cannot attach to " + what + ": " + e.getMessage());
        }
    }
}
