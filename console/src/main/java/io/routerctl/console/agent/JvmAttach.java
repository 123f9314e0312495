package io.routerctl.console.agent;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.routerctl.console.attach.ProcFiles;
import io.routerctl.console.context.CommandException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Loads the routerctl agent into a running JVM through {@code jdk.attach}, the way jcmd and
 * async-profiler do, after checking what can be checked first, so that each refusal has its own
 * one-line reason: no such process, another user's process, not a JVM, attach disabled. Then reads
 * back the agent's status ({@code routerctl.agent.status}), which says what it found.
 *
 * <h2>Thread safety</h2>
 * Stateless; each call attaches and detaches its own connection to the JVM.
 */
public final class JvmAttach {

    static final String STATUS = "routerctl.agent.status";
    static final String DISABLE_FLAG = "-XX:+DisableAttachMechanism";

    private JvmAttach() {
    }

    /**
     * Loads {@code agentJar} (a path as the target sees it: see {@link AgentJar#forTarget}) into
     * {@code pid} with {@code args}; returns the agent's status line.
     *
     * @throws CommandException exit 3, with the reason, when the JVM cannot be attached to
     */
    public static String load(long pid, String agentJar, String args) {
        check(pid);
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw CommandException.cannotAttach("the JVM " + pid + " refused the attach: " + oneLine(e));
        }
        try {
            try {
                vm.loadAgent(agentJar, args);
            } catch (AgentLoadException | AgentInitializationException e) {
                throw CommandException.cannotAttach("the JVM " + pid + " could not load the agent: " + oneLine(e));
            }
            Properties props = vm.getSystemProperties();
            String status = props.getProperty(STATUS);
            if (status == null) {
                throw CommandException.cannotAttach("the agent in " + pid + " reported nothing");
            }
            return status;
        } catch (IOException e) {
            throw CommandException.cannotAttach("lost the JVM " + pid + " while attaching: " + oneLine(e));
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // The agent is in; the attach connection's end does not matter.
            }
        }
    }

    /**
     * The checks before attaching, also made first by {@link #load}: each failure is exit 3 with its
     * reason. Callers make them before anything else, so a wrong pid is what the user hears about.
     */
    public static void check(long pid) {
        if (pid <= 0 || ProcessHandle.of(pid).isEmpty()) {
            throw CommandException.cannotAttach("no process " + pid);
        }
        if (pid == ProcessHandle.current().pid()) {
            throw CommandException.cannotAttach(pid + " is routerctl itself");
        }
        Path proc = Path.of("/proc", Long.toString(pid));
        if (!Files.isDirectory(proc)) {
            return; // not Linux: let the attach API say what is wrong
        }
        int owner = ProcFiles.ownerUid(proc);
        int self = ProcFiles.ownerUid(Path.of("/proc/self"));
        if (owner >= 0 && self >= 0 && owner != self && self != 0) {
            throw CommandException.cannotAttach("process " + pid + " belongs to uid " + owner
                    + "; routerctl attaches only to its own user's JVMs (run it as that user)");
        }
        String maps = ProcFiles.read(proc.resolve("maps"));
        if (maps != null && !maps.contains("/libjvm.so")) {
            throw CommandException.cannotAttach("process " + pid + " is not a Java virtual machine (no libjvm.so mapped)");
        }
        String cmdline = ProcFiles.read(proc.resolve("cmdline"));
        String environ = ProcFiles.read(proc.resolve("environ"));
        if ((cmdline != null && cmdline.contains(DISABLE_FLAG)) || (environ != null && disabledByEnvironment(environ))) {
            throw CommandException.cannotAttach("the JVM " + pid + " was started with " + DISABLE_FLAG
                    + ": it accepts no agent; restart it with -javaagent:$(routerctl agent --path) instead");
        }
    }

    private static boolean disabledByEnvironment(String environ) {
        for (String var : environ.split("\0")) {
            if ((var.startsWith("JAVA_TOOL_OPTIONS=") || var.startsWith("JDK_JAVA_OPTIONS=")
                    || var.startsWith("_JAVA_OPTIONS=")) && var.contains(DISABLE_FLAG)) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return (m == null || m.isBlank() ? e.getClass().getSimpleName() : m).replaceAll("\\s+", " ").strip();
    }
}
