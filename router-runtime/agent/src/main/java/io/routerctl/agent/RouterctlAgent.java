package io.routerctl.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;

/**
 * The routerctl agent: {@code routerctl attach PID} loads it into a running JVM
 * ({@link #agentmain}), {@code -javaagent:routerctl-agent.jar} at start-up ({@link #premain}).
 *
 * <p>Arguments, comma-separated: {@code name=NAME} (what {@code routerctl list} shows),
 * {@code sites=on|off} (deep code sites per future), {@code stop} (detach). It reports how it went
 * in the system property {@value #STATUS_PROPERTY}, which {@code routerctl attach} reads back
 * through the attach API: {@code attached: ...}, {@code no-netty: ...}, {@code detached: ...},
 * {@code failed: ...}. It never throws into the JVM that loaded it.
 *
 * <p>This class only puts the hooks on the bootstrap class path: it must not mention them, since
 * it is loaded before they are there. {@link Installer} does the rest.
 *
 * <h2>Thread safety</h2>
 * Attach and detach are serialized (synchronized).
 */
public final class RouterctlAgent {

    /** Where the agent says how an attach or detach went. */
    public static final String STATUS_PROPERTY = "routerctl.agent.status";
    static final String HOOKS = "io.routerctl.netty.hooks.Hooks";

    private static Path home;

    private RouterctlAgent() {
    }

    /** {@code -javaagent}: instruments now, starts tracking with the first channel. */
    public static void premain(String args, Instrumentation inst) {
        run(args, inst, true);
    }

    /** {@code routerctl attach PID}: instruments and tracks what is open now. */
    public static void agentmain(String args, Instrumentation inst) {
        run(args, inst, false);
    }

    private static synchronized void run(String args, Instrumentation inst, boolean atStartup) {
        String status;
        try {
            bootstrap(inst);
            status = Installer.run(args, inst, atStartup);
        } catch (Throwable t) {
            status = "failed: " + t;
        }
        System.setProperty(STATUS_PROPERTY, status);
        if (atStartup && status.startsWith("failed")) {
            System.err.println("routerctl agent: " + status);
        }
    }

    /**
     * Puts the hooks on the bootstrap class path (once per JVM), so that advices in any class,
     * {@code CompletableFuture} included, reach the same one; lets {@code java.base} read them.
     */
    private static void bootstrap(Instrumentation inst) throws IOException {
        Class<?> hooks;
        try {
            hooks = Class.forName(HOOKS, false, null);
        } catch (ClassNotFoundException notYet) {
            Path jar = home().resolve("routerctl-hooks.jar");
            jar.toFile().deleteOnExit(); // registered after its directory, so deleted before it
            try (JarInputStream in = new JarInputStream(nested("router-runtime.jar"));
                 OutputStream file = Files.newOutputStream(jar);
                 JarOutputStream out = new JarOutputStream(file)) {
                for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
                    if (e.getName().startsWith("io/routerctl/netty/hooks/") && e.getName().endsWith(".class")) {
                        out.putNextEntry(new JarEntry(e.getName()));
                        in.transferTo(out);
                        out.closeEntry();
                    }
                }
            }
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
            try {
                hooks = Class.forName(HOOKS, false, null);
            } catch (ClassNotFoundException e) {
                throw new IOException("the hooks jar did not reach the bootstrap class path: " + jar, e);
            }
        }
        Module javaBase = Object.class.getModule();
        if (!javaBase.canRead(hooks.getModule())) {
            inst.redefineModule(javaBase, Set.of(hooks.getModule()), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    /** One of the jars nested under {@code routerctl-core/}. */
    static InputStream nested(String name) throws IOException {
        InputStream in = RouterctlAgent.class.getResourceAsStream("/routerctl-core/" + name);
        if (in == null) {
            throw new IOException("the agent jar has no routerctl-core/" + name + " (a broken build?)");
        }
        return in;
    }

    /**
     * A directory only this user can read, for the jars the agent unpacks (once per JVM); removed
     * when the JVM exits normally, with the files registered for deletion after it.
     */
    static synchronized Path home() throws IOException {
        if (home == null) {
            home = Files.createTempDirectory("routerctl-agent-");
            home.toFile().deleteOnExit();
        }
        return home;
    }
}
