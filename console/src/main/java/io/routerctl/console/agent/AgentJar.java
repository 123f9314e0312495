package io.routerctl.console.agent;

import io.routerctl.console.context.CommandException;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/**
 * Where the agent jar is: the system property {@value #PROPERTY} if set, else
 * {@code routerctl-agent.jar} beside the console's own jar (the build puts it there), else under
 * {@code $ROUTERCTL_HOME/probes/agent/target}. A candidate counts only if it is a jar whose manifest
 * names the agent class.
 *
 * <h2>Thread safety</h2>
 * Stateless.
 */
public final class AgentJar {

    /** {@code routerctl.agent.jar}: the agent jar to use instead of the one found. */
    public static final String PROPERTY = "routerctl.agent.jar";
    static final String FILE = "routerctl-agent.jar";
    static final String AGENT_CLASS = "io.routerctl.agent.RouterctlAgent";

    private AgentJar() {
    }

    /** The agent jar's absolute path, or a {@link CommandException} (exit 3) saying where it looked. */
    public static Path locate() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            candidates.add(Path.of(property));
        } else {
            Path own = ownJar();
            if (own != null && own.getParent() != null) {
                candidates.add(own.getParent().resolve(FILE));
            }
            String home = System.getenv("ROUTERCTL_HOME");
            if (home != null && !home.isBlank()) {
                candidates.add(Path.of(home, "probes", "agent", "target", FILE));
            }
        }
        for (Path p : candidates) {
            if (isAgent(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw CommandException.cannotAttach("no routerctl agent jar found (looked at " + candidates
                + "); build it with: mvn -B -DskipTests package");
    }

    private static boolean isAgent(Path p) {
        if (!Files.isRegularFile(p)) {
            return false;
        }
        try (JarFile jar = new JarFile(p.toFile())) {
            return jar.getManifest() != null
                    && AGENT_CLASS.equals(jar.getManifest().getMainAttributes().getValue("Agent-Class"));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path ownJar() {
        try {
            var source = AgentJar.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path p = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The agent jar as the JVM {@code pid} will open it: {@link #locate()} itself, or, when the
     * JVM runs in a container (another mount namespace), a copy in the container's {@code /tmp}.
     *
     * @throws io.routerctl.console.context.CommandException exit 3 when the copy cannot be made
     */
    public static String forTarget(long pid) {
        Path jar = locate();
        if (!io.routerctl.console.attach.ContainerTargets.inOtherMountNamespace(pid)) {
            return jar.toString();
        }
        try {
            return io.routerctl.console.attach.ContainerTargets.copyInto(pid, jar);
        } catch (java.io.IOException | RuntimeException e) {
            throw io.routerctl.console.context.CommandException.cannotAttach("process " + pid
                    + " runs in another mount namespace and the agent jar cannot be copied into its /tmp: " + e.getMessage());
        }
    }
}
