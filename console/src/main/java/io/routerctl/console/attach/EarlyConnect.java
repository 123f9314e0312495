package io.routerctl.console.attach;

import io.routerctl.console.context.DurationConverter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A command line's attach, begun on a second thread while picocli builds the command's model, so a
 * one-question command ({@code dump-stuck --pid N}) answers in about jcmd's time: the connection,
 * its first Unix socket (which seeds a secure random source), the peer checks and the target's
 * hello take about 45 ms here, longer than picocli's model of the command now takes; the two
 * overlap instead of adding up. No more work is done than before, only earlier: the same
 * {@link TargetSelector#attach} the command would call, with the same directories and timeout.
 *
 * <p>{@code list} alone (or with {@code --json}) begins its survey of the attach directories the
 * same way ({@link #survey}).
 *
 * <p>Only for a command line whose target can be read from its words alone without doubt: an
 * attaching command ({@link #COMMANDS}), {@code --pid N} or no target option at all, and none of
 * {@code --socket}, {@code --name}, {@code --timeout} or a help option; anything else is left to
 * the command. The outcome, a connection or the {@link io.routerctl.console.context.CommandException}
 * the attach threw, is the command's when it asks for the same target
 * ({@link #take}); it says nothing itself, so a command line that fails to parse prints its usage
 * error and nothing else. An outcome nobody takes is closed when the JVM exits.
 *
 * <h2>Thread safety</h2>
 * {@link #start} once, from {@code main}, before the command runs; {@link #take} from the
 * command's thread. The handover is a {@link CompletableFuture}.
 */
public final class EarlyConnect {

    /** The commands that attach to one target named by {@code --pid} (or the only one there is). */
    static final Set<String> COMMANDS = Set.of("dump-stuck", "task", "loops", "snapshot", "top");

    private static volatile EarlyConnect started;

    private final boolean survey;
    private final Long pid;
    private final List<Path> attachDirs;
    private final Duration timeout;
    /** An {@link AttachedTarget}, or for a survey a list of {@link TargetStatus}. */
    private final CompletableFuture<Object> outcome = new CompletableFuture<>();

    private EarlyConnect(boolean survey, Long pid, List<Path> attachDirs, Duration timeout) {
        this.survey = survey;
        this.pid = pid;
        this.attachDirs = attachDirs;
        this.timeout = timeout;
    }

    /**
     * Begins the attach {@code args} asks for, when it is plain enough (see the class comment).
     *
     * @param attachDirs the directories the command will search (its context's)
     */
    public static void start(String[] args, List<Path> attachDirs) {
        if (args.length == 0 || attachDirs.isEmpty()) {
            return;
        }
        if (args[0].equals("list")) {
            for (int i = 1; i < args.length; i++) {
                if (!args[i].equals("--json")) {
                    return;
                }
            }
            begin(new EarlyConnect(true, null, List.copyOf(attachDirs), defaultTimeout()));
            return;
        }
        if (!COMMANDS.contains(args[0])) {
            return;
        }
        Long pid = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String value = a.equals("--pid") && i + 1 < args.length ? args[++i]
                    : a.startsWith("--pid=") ? a.substring("--pid=".length()) : null;
            if (value != null) {
                if (pid != null || (pid = positive(value)) == null) {
                    return; // twice, or not a pid: the command says so
                }
            } else if (a.equals("--pid") || a.startsWith("--socket") || a.startsWith("--name") || a.startsWith("--timeout")
                    || a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version") || a.equals("--")) {
                return;
            }
        }
        begin(new EarlyConnect(false, pid, List.copyOf(attachDirs), defaultTimeout()));
    }

    private static Duration defaultTimeout() {
        return new DurationConverter().convert(TargetOptions.DEFAULT_TIMEOUT);
    }

    private static void begin(EarlyConnect early) {
        started = early;
        Thread t = new Thread(early::run, "routerctl-early-attach");
        t.setDaemon(true);
        t.start();
    }

    private static Long positive(String s) {
        try {
            long v = Long.parseLong(s);
            return v > 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void run() {
        try {
            TargetSelector selector = new TargetSelector(attachDirs, timeout);
            outcome.complete(survey ? selector.survey() : selector.attach(pid, null));
        } catch (RuntimeException | Error e) {
            outcome.completeExceptionally(e);
        }
    }

    /**
     * The attach begun for exactly this target, directories and timeout, waiting for it if need be;
     * {@code null} when none was (the caller attaches itself). Each outcome is taken once.
     *
     * @throws RuntimeException what the attach threw (a {@link io.routerctl.console.context.CommandException})
     */
    static AttachedTarget take(Long pid, List<Path> attachDirs, Duration timeout) {
        EarlyConnect early = started;
        if (early == null || early.survey || !java.util.Objects.equals(early.pid, pid)) {
            return null;
        }
        return (AttachedTarget) early.takeOutcome(attachDirs, timeout);
    }

    /**
     * The survey begun for exactly these directories and timeout ({@link TargetSelector#survey}),
     * waiting for it if need be; {@code null} when none was. Taken once.
     *
     * @throws RuntimeException what the survey threw
     */
    @SuppressWarnings("unchecked")
    public static List<TargetStatus> survey(List<Path> attachDirs, Duration timeout) {
        EarlyConnect early = started;
        if (early == null || !early.survey) {
            return null;
        }
        return (List<TargetStatus>) early.takeOutcome(attachDirs, timeout);
    }

    private Object takeOutcome(List<Path> attachDirs, Duration timeout) {
        if (!this.attachDirs.equals(attachDirs) || !this.timeout.equals(timeout)) {
            return null;
        }
        started = null;
        try {
            return outcome.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
