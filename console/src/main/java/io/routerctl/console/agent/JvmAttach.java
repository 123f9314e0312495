package io.routerctl.console.agent;

import io.routerctl.console.attach.ProcFiles;
import io.routerctl.console.context.CommandException;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * Loads the routerctl agent into a running JVM through HotSpot's attach mechanism
 * ({@link HotSpotAttach}), after checking what can be checked first, so that each refusal has its
 * own one-line reason and none leaves anything behind in the target: no such process, another
 * user's process, not a JVM, stopped, attach disabled, agents disabled. Then reads back the
 * agent's status, which says what it found.
 *
 * <p>Each load carries a nonce, under which the agent reports (so two attaches at once each read
 * their own answer): this process's id and a clock reading, unique among the loads of one host
 * (it needs no secrecy: only code inside the JVM can write the answer, and the attach socket is
 * checked to be the JVM's user's), and a deadline: an agent that starts after it (the JVM was stopped while we
 * waited, and continued later) does nothing.
 *
 * <h2>Thread safety</h2>
 * Stateless; each call makes its own connections to the JVM.
 */
public final class JvmAttach {

    static final String STATUS = "routerctl.agent.status";
    static final String DISABLE_FLAG = "-XX:+DisableAttachMechanism";
    static final String NO_DYNAMIC_AGENTS_FLAG = "-XX:-EnableDynamicAgentLoading";
    static final String JAVAAGENT_ADVICE = "-javaagent:$(routerctl agent --path)";

    private JvmAttach() {
    }

    /**
     * Loads {@code agentJar} (a path as the target sees it: see {@link AgentJar#forTarget}) into
     * {@code pid} with {@code args}, waiting at most {@code timeout}; returns the agent's status line.
     *
     * @throws CommandException exit 3, with the reason, when the JVM cannot be attached to
     */
    public static String load(long pid, String agentJar, String args, Duration timeout) {
        return load(pid, agentJar, args, timeout, false);
    }

    /**
     * As {@link #load(long, String, String, Duration)}; with {@code requireNetty}, first asks the JVM
     * for its loaded classes ({@code VM.class_hierarchy}, one diagnostic command) and refuses, with
     * nothing loaded into it, if none is a Netty channel pipeline (of any copy, relocated or not).
     */
    public static String load(long pid, String agentJar, String args, Duration timeout, boolean requireNetty) {
        check(pid);
        HexFormat hex = HexFormat.of();
        String nonce = hex.toHexDigits(ProcessHandle.current().pid()) + hex.toHexDigits(System.nanoTime());
        long deadline = HotSpotAttach.deadline(timeout);
        String options = args + ",nonce=" + nonce + ",deadline=" + (System.currentTimeMillis() + timeout.toMillis());
        try {
            if (requireNetty) {
                requireNetty(pid, deadline);
            }
            HotSpotAttach.Reply load = HotSpotAttach.execute(pid, deadline, "load", "instrument", "false",
                    agentJar + "=" + options);
            String out = load.output().strip();
            if (load.status() != 0 || !out.startsWith("return code: 0")) {
                throw CommandException.cannotAttach(loadFailure(pid, load.status(), out));
            }
            HotSpotAttach.Reply props = HotSpotAttach.execute(pid, deadline, "properties");
            if (props.status() != 0) {
                throw CommandException.cannotAttach("the JVM " + pid + " loaded the agent but did not list its properties: "
                        + oneLine(props.output()));
            }
            Properties p = new Properties();
            p.load(new StringReader(props.output()));
            String status = p.getProperty(STATUS + "." + nonce);
            if (status == null) {
                throw CommandException.cannotAttach("the agent in " + pid + " reported nothing");
            }
            return status;
        } catch (HotSpotAttach.TimeoutIOException e) {
            throw CommandException.cannotAttach(e.getMessage() + "; gave up after " + describe(timeout)
                    + " (--timeout); nothing is applied later");
        } catch (IOException e) {
            throw CommandException.cannotAttach(oneLine(e.getMessage()));
        }
    }

    /** Where Netty is found first, by name: its own package, then gRPC's relocated copy. */
    static final List<String> KNOWN_PREFIXES = List.of("", "io.grpc.netty.shaded.");
    static final String PIPELINE = "io.netty.channel.DefaultChannelPipeline";
    static final String HANDLER_MASK = "io.netty.channel.ChannelHandlerMask";

    /**
     * Refuses, with nothing loaded into the JVM, unless it has loaded a Netty channel pipeline of
     * 4.1 or later. Asked by name first, for Netty's own package and gRPC's copy
     * ({@code VM.class_hierarchy NAME}: a few bytes back), and only then from the listing of every
     * loaded class (any other relocation): 150 KB on the attach tests' ticket service, more on a large one.
     * A JVM that answers neither way (an older or different VM) is not refused here.
     *
     * <p>The first question is for 4.1's {@code ChannelHandlerMask}, which a pipeline loads with its
     * first handler: on a current Netty that one answer is enough (each question is a round trip to
     * the JVM's attach listener). Only when it is missing do the pipeline's name and the listing
     * tell an old Netty from none.
     */
    private static void requireNetty(long pid, long deadline) throws IOException {
        for (String known : KNOWN_PREFIXES) {
            if (loaded(pid, deadline, known + HANDLER_MASK)) {
                return;
            }
        }
        String prefix = null;
        for (String known : KNOWN_PREFIXES) {
            if (loaded(pid, deadline, known + PIPELINE)) {
                prefix = known; // its ChannelHandlerMask is missing: asked above
                break;
            }
        }
        if (prefix == null) {
            HotSpotAttach.Reply classes = HotSpotAttach.execute(pid, deadline, "jcmd", "VM.class_hierarchy");
            if (classes.status() != 0 || !classes.output().contains("java.lang.Object")) {
                return;
            }
            String listing = classes.output();
            prefix = nettyPrefix(listing);
            if (prefix == null) {
                throw CommandException.cannotAttach("no Netty in " + pid + ": this JVM has loaded no Netty channel "
                        + "classes (io.netty.channel); nothing was loaded into it");
            }
            if (listing.contains(prefix + HANDLER_MASK + "/")) {
                return;
            }
        }
        throw CommandException.cannotAttach("the Netty in " + pid + " is older than 4.1 (it has no "
                + prefix + HANDLER_MASK + "); routerctl needs Netty 4.1 or 4.2; nothing was loaded into it");
    }

    /** Whether the JVM has loaded the class {@code name}, as its {@code VM.class_hierarchy NAME} says. */
    private static boolean loaded(long pid, long deadline, String name) throws IOException {
        HotSpotAttach.Reply one = HotSpotAttach.execute(pid, deadline, "jcmd", "VM.class_hierarchy " + name);
        return one.status() == 0 && one.output().contains(name + "/");
    }

    /**
     * The package prefix of the first Netty pipeline class in a {@code VM.class_hierarchy} listing
     * ("" for Netty's own, {@code "io.grpc.netty.shaded."} for gRPC's copy, relocated under another
     * package), or null if the JVM has loaded none.
     */
    static String nettyPrefix(String hierarchy) {
        String pipeline = "io.netty.channel.DefaultChannelPipeline/";
        for (int i = hierarchy.indexOf(pipeline); i >= 0; i = hierarchy.indexOf(pipeline, i + 1)) {
            int start = i;
            while (start > 0 && (Character.isJavaIdentifierPart(hierarchy.charAt(start - 1)) || hierarchy.charAt(start - 1) == '.')) {
                start--;
            }
            String prefix = hierarchy.substring(start, i);
            if (prefix.isEmpty() || prefix.endsWith(".")) {
                return prefix;
            }
        }
        return null;
    }

    /** The one line for a load the JVM refused, or an agent that failed to start. */
    static String loadFailure(long pid, int status, String output) {
        String out = oneLine(output);
        if (out.contains("EnableDynamicAgentLoading") || out.contains("Dynamic agent loading is not enabled")) {
            return "the JVM " + pid + " does not load agents while it runs (" + NO_DYNAMIC_AGENTS_FLAG
                    + "); load routerctl at start-up instead: " + JAVAAGENT_ADVICE;
        }
        if (status != 0) {
            return "the JVM " + pid + " refused to load the agent: " + (out.isEmpty() ? "status " + status : out);
        }
        return "the agent could not start in " + pid + ": " + (out.isEmpty() ? "no reason given" : out);
    }

    /**
     * The checks before attaching, also made first by {@link #load}: each failure is exit 3 with its
     * reason. Nothing is sent to the process before they pass.
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
            throw CommandException.cannotAttach("cannot see process " + pid + " in /proc: routerctl attaches on Linux only");
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
        char state = ProcFiles.stopState(pid);
        if (state == 'T' || state == 't') {
            throw CommandException.cannotAttach("process " + pid + " is stopped (state " + state
                    + ": SIGSTOP, or a debugger); continue it (kill -CONT " + pid + ") and try again");
        }
        if (state == 'Z' || state == 'X') {
            throw CommandException.cannotAttach("process " + pid + " is exiting");
        }
        String cmdline = ProcFiles.read(proc.resolve("cmdline"));
        String environ = ProcFiles.read(proc.resolve("environ"));
        if (hasFlag(cmdline, environ, DISABLE_FLAG)) {
            throw CommandException.cannotAttach("the JVM " + pid + " was started with " + DISABLE_FLAG
                    + ": it accepts no agent; restart it with " + JAVAAGENT_ADVICE + " instead");
        }
        if (hasFlag(cmdline, environ, NO_DYNAMIC_AGENTS_FLAG)) {
            throw CommandException.cannotAttach("the JVM " + pid + " does not load agents while it runs ("
                    + NO_DYNAMIC_AGENTS_FLAG + "); load routerctl at start-up instead: " + JAVAAGENT_ADVICE);
        }
    }

    private static boolean hasFlag(String cmdline, String environ, String flag) {
        if (cmdline != null) {
            for (String arg : cmdline.split("\0")) {
                if (arg.equals(flag)) {
                    return true;
                }
            }
        }
        if (environ != null) {
            for (String var : environ.split("\0")) {
                if ((var.startsWith("JAVA_TOOL_OPTIONS=") || var.startsWith("JDK_JAVA_OPTIONS=")
                        || var.startsWith("_JAVA_OPTIONS=")) && var.contains(flag)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    static String oneLine(String m) {
        return m == null ? "" : m.replaceAll("\\s+", " ").strip();
    }
}
