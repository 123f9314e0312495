package io.routerctl.console.attach;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reading what {@code /proc} says of a process, where a file that cannot be read is an answer
 * ("unknown"), not an error: another user's process, one that just exited.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread.
 */
public final class ProcFiles {

    private ProcFiles() {
    }

    /** The file's bytes as ISO-8859-1 text ({@code \0}-separated files keep their separators), or {@code null}. */
    public static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The uid owning {@code p} ({@code /proc/<pid>}: the process's user), or -1 if it cannot be read. */
    public static int ownerUid(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The pid {@code pid} has in its own (innermost) pid namespace, or {@code pid} if that cannot be read. */
    public static long namespacePid(long pid) {
        String status = read(Path.of("/proc", pid + "/status"));
        if (status != null) {
            for (String line : status.split("\n")) {
                if (line.startsWith("NSpid:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    try {
                        return Long.parseLong(f[f.length - 1]);
                    } catch (NumberFormatException e) {
                        return pid;
                    }
                }
            }
        }
        return pid;
    }

    /**
     * The process's state letter from {@code /proc/<pid>/stat} ({@code R}, {@code S}, {@code T} for
     * stopped, {@code t} for stopped by a tracer, {@code Z}...), or {@code '?'} if it cannot be read.
     */
    public static char state(long pid) {
        String stat = read(Path.of("/proc", pid + "/stat"));
        if (stat == null) {
            return '?';
        }
        int close = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
        return close < 0 || close + 2 >= stat.length() ? '?' : stat.charAt(close + 2);
    }

    /** The job-control stop signals: SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU (bits 18, 19, 20, 21 of a mask). */
    private static final long STOP_SIGNALS = (1L << 18) | (1L << 19) | (1L << 20) | (1L << 21);

    /**
     * The state of process {@code pid} as far as stopping goes: {@code 'T'} (or {@code 't'}, traced)
     * while any of its threads is stopped or a stop signal is pending for it (sent, not yet taken:
     * its threads stop one by one after a {@code kill -STOP} returns); otherwise its main thread's
     * state, {@code '?'} if unreadable.
     */
    public static char stopState(long pid) {
        char state = state(pid);
        if (state == 'T' || state == 't') {
            return state;
        }
        String status = read(Path.of("/proc", pid + "/status"));
        if (status != null) {
            for (String line : status.split("\n")) {
                if (line.startsWith("ShdPnd:") || line.startsWith("SigPnd:")) {
                    try {
                        if ((Long.parseUnsignedLong(line.substring(7).strip(), 16) & STOP_SIGNALS) != 0) {
                            return 'T';
                        }
                    } catch (NumberFormatException e) {
                        // Not the format of any kernel we know: the threads' states below still count.
                    }
                }
            }
        }
        try (var tasks = Files.newDirectoryStream(Path.of("/proc", pid + "/task"))) {
            for (Path task : tasks) {
                String stat = read(task.resolve("stat"));
                int close = stat == null ? -1 : stat.lastIndexOf(')');
                if (close >= 0 && close + 2 < stat.length()) {
                    char c = stat.charAt(close + 2);
                    if (c == 'T' || c == 't') {
                        return c;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone or unreadable: the main thread's state stands.
        }
        return state;
    }
}
