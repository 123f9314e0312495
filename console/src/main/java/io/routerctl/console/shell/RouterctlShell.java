package io.routerctl.console.shell;

import io.routerctl.console.render.Printable;
import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.attach.AttachedTarget;
import io.routerctl.console.attach.TargetSelector;
import io.routerctl.playbooks.CommandLines;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The interactive shell: reads a line, splits it as a playbook line is split (so anything typed
 * here can be pasted into a playbook unchanged), and runs it as a routerctl command against the
 * attached target, or as one of the shell's own commands ({@code attach}, {@code detach},
 * {@code help}, {@code exit}, {@code quit}).
 *
 * <h2>Keys</h2>
 * Tab completes (commands, options, task ids and probe points from the target, files); Ctrl-R
 * searches history (JLine's default); Ctrl-C at the prompt clears the line, and while a command
 * runs cancels it (the command runs on a worker thread, which is interrupted, and its attach
 * connections are closed) and the prompt comes back; Ctrl-D on an empty line quits.
 *
 * <h2>History</h2>
 * Kept in {@value #HISTORY_PROPERTY} (default {@code ~/.routerctl_history}), saved line by line.
 *
 * <h2>Thread safety</h2>
 * {@link #run()} runs on one thread; commands run on the shell's single worker thread.
 */
public final class RouterctlShell {

    /** {@code routerctl.shell.history}: the history file. Default {@code ~/.routerctl_history}. */
    public static final String HISTORY_PROPERTY = "routerctl.shell.history";
    /** The history file when {@value #HISTORY_PROPERTY} is not set, under {@code user.home}. */
    public static final String HISTORY_DEFAULT = ".routerctl_history";

    /** How long a cancelled command may take to print its last lines before the prompt returns. */
    static final long CANCEL_GRACE_MS = 2_000;

    /** The shell's own commands, with what each does. */
    static final Map<String, String> SHELL_COMMANDS = shellCommands();

    private final ConsoleContext context;
    private final Terminal terminal;
    private final Path historyFile;
    private final Duration attachTimeout;
    private final List<AutoCloseable> running = new CopyOnWriteArrayList<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "routerctl-shell-command");
        t.setDaemon(true);
        return t;
    });
    private volatile ShellTarget target;
    private volatile Future<?> current;

    /**
     * @param context       the surroundings (attach directory)
     * @param terminal      where to read and write
     * @param historyFile   where history is kept
     * @param attachTimeout how long {@code attach} waits for a hello
     */
    public RouterctlShell(ConsoleContext context, Terminal terminal, Path historyFile, Duration attachTimeout) {
        this.context = context;
        this.terminal = terminal;
        this.historyFile = historyFile;
        this.attachTimeout = attachTimeout;
    }

    /** The history file named by {@value #HISTORY_PROPERTY}, else {@code ~/.routerctl_history}. */
    public static Path defaultHistoryFile() {
        String p = System.getProperty(HISTORY_PROPERTY);
        return p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), HISTORY_DEFAULT);
    }

    private static Map<String, String> shellCommands() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("attach", "attach to a target: attach --pid N | --socket PATH (alone: the only target)");
        m.put("detach", "detach from the target");
        m.put("help", "this list; help COMMAND for a command's options and examples");
        m.put("exit", "leave the shell (also quit, Ctrl-D)");
        m.put("quit", "leave the shell");
        return m;
    }

    /** Starts attached to {@code attached} (which the shell then owns). */
    public void attached(AttachedTarget attached) {
        ShellTarget previous = target;
        target = new ShellTarget(attached);
        if (previous != null) {
            previous.close();
        }
    }

    /** The prompt: {@code routerctl[sample-router 4242]> } or {@code routerctl[detached]> }. */
    public String prompt() {
        ShellTarget t = target;
        return t == null ? "routerctl[detached]> " : "routerctl[" + Printable.of(t.name()) + " " + t.pid() + "]> ";
    }

    /** Runs until exit, quit or Ctrl-D; returns the exit code (0). */
    public int run() {
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("routerctl")
                .completer(new ShellCompleter(context, () -> target, SHELL_COMMANDS))
                .variable(LineReader.HISTORY_FILE, historyFile)
                .variable(LineReader.HISTORY_SIZE, 2_000)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .build();
        terminal.handle(Terminal.Signal.INT, signal -> cancel());
        PrintWriter out = terminal.writer();
        try {
            while (true) {
                String line;
                try {
                    line = reader.readLine(prompt());
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (!execute(line, out)) {
                    break;
                }
            }
        } finally {
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                out.println("routerctl shell: cannot save history to " + historyFile + ": " + e.getMessage());
            }
            out.flush();
            worker.shutdownNow();
            ShellTarget t = target;
            if (t != null) {
                t.close();
            }
        }
        return ExitCode.OK;
    }

    /** Runs one line; false when the shell should end. */
    boolean execute(String line, PrintWriter out) {
        List<String> words;
        try {
            words = CommandLines.split(line);
        } catch (IllegalArgumentException e) {
            out.println("routerctl: " + e.getMessage());
            out.flush();
            return true;
        }
        if (words.isEmpty()) {
            return true;
        }
        String command = words.get(0);
        switch (command) {
            case "exit", "quit" -> {
                return false;
            }
            case "attach" -> attach(words.subList(1, words.size()), out);
            case "detach" -> detach(out);
            case "help" -> {
                if (words.size() == 1) {
                    help(out);
                } else {
                    runCommand(words, out);
                }
            }
            case "shell" -> out.println("routerctl shell: already in the shell");
            default -> runCommand(words, out);
        }
        out.flush();
        return true;
    }

    private void runCommand(List<String> words, PrintWriter out) {
        ShellTarget t = target;
        ConsoleContext commandContext = (t == null ? context : context.withDefaultSocket(t.socket()))
                .withConnections(running::add);
        running.clear();
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        Future<?> f = worker.submit(() -> {
            try {
                context.runner().run(commandContext, out, out, words);
            } finally {
                finished.countDown();
            }
        });
        current = f;
        try {
            f.get();
        } catch (CancellationException e) {
            // Let the command print its last words (e.g. a playbook's "interrupted" line) before
            // the prompt comes back, but never wait on it for long.
            try {
                finished.await(CANCEL_GRACE_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            out.println("routerctl " + words.get(0) + ": cancelled");
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            out.println("routerctl " + words.get(0) + ": internal error: " + e.getCause());
        } finally {
            current = null;
            running.clear();
        }
    }

    /** Ctrl-C: cancels the running command (interrupts it, closes its connections); at the prompt, nothing. */
    void cancel() {
        Future<?> f = current;
        if (f == null) {
            return;
        }
        f.cancel(true);
        for (AutoCloseable c : new ArrayList<>(running)) {
            try {
                c.close();
            } catch (Exception e) {
                // Closing is how we cancel; a failure to close changes nothing more.
            }
        }
    }

    private void attach(List<String> args, PrintWriter out) {
        Long pid = null;
        Path socket = null;
        try {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if ((a.equals("--pid") || a.equals("--socket")) && i + 1 < args.size()) {
                    String v = args.get(++i);
                    if (a.equals("--pid")) {
                        pid = Long.parseLong(v);
                    } else {
                        socket = Path.of(v);
                    }
                } else {
                    out.println("routerctl attach: expected --pid N or --socket PATH, got '" + a + "'");
                    return;
                }
            }
        } catch (NumberFormatException e) {
            out.println("routerctl attach: --pid expects a process id");
            return;
        }
        if (pid != null && socket != null) {
            out.println("routerctl attach: --pid and --socket cannot be used together; give one");
            return;
        }
        try {
            AttachedTarget attached = new TargetSelector(context.attachDirs(), attachTimeout).attach(pid, socket);
            attached(attached);
            out.println("attached to pid " + attached.info().pid() + " (" + Printable.of(attached.info().name()) + ") through "
                    + attached.socket());
        } catch (CommandException e) {
            if (e.detail() != null) {
                out.print(e.detail());
            }
            out.println("routerctl attach: " + e.getMessage());
        }
    }

    private void detach(PrintWriter out) {
        ShellTarget t = target;
        target = null;
        if (t == null) {
            out.println("routerctl detach: not attached");
            return;
        }
        t.close();
        out.println("detached from pid " + t.pid());
    }

    private void help(PrintWriter out) {
        out.println("Commands (as on the command line; the attached target is used unless --pid is given):");
        context.runner().commandLine(context).getSubcommands().forEach((name, cl) -> {
            if (name.equals("help") || name.equals("shell")) {
                return;
            }
            String[] d = cl.getCommandSpec().usageMessage().description();
            out.printf("  %-12s %s%n", name, d.length == 0 ? "" : d[0]);
        });
        out.println("Shell commands:");
        SHELL_COMMANDS.forEach((name, what) -> out.printf("  %-12s %s%n", name, what));
        out.println("Tab completes commands, options, task ids and probe points; Ctrl-R searches history;");
        out.println("Ctrl-C cancels a running command; Ctrl-D quits. A line here is a playbook line.");
    }
}
