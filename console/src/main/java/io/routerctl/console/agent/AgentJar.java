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
 * {@code $ROUTERCTL_HOME/router-runtime/agent/target}. A candidate counts only if it is a jar whose manifest
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
                candidates.add(Path.of(home, "router-runtime", "agent", "target", FILE));
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
     * The agent jar as the JVM {@code pid} will open it: {@link #locate()} itself, or, when the JVM
     * runs in a container (another mount namespace) or as another user (root attaching to a
     * service), a copy in the target's own {@code /tmp}, named by its content, written there
     * without following any link ({@link TargetTmp#copyIn}) and reused while it is intact.
     *
     * @throws CommandException exit 3 when the copy cannot be made, with the reason
     */
    public static String forTarget(long pid) {
        Path jar = locate();
        boolean otherNamespace = io.routerctl.console.attach.ContainerTargets.inOtherMountNamespace(pid);
        int owner = io.routerctl.console.attach.ProcFiles.ownerUid(Path.of("/proc", Long.toString(pid)));
        int self = io.routerctl.console.attach.ProcFiles.ownerUid(Path.of("/proc/self"));
        if (!otherNamespace && owner == self) {
            return jar.toString();
        }
        try (TargetTmp tmp = TargetTmp.of(pid)) {
            String name = "routerctl-agent-" + TargetTmp.digest(jar).substring(0, 16) + ".jar";
            tmp.copyIn(jar, name);
            return "/tmp/" + name;
        } catch (IOException | RuntimeException e) {
            throw CommandException.cannotAttach("process " + pid + (otherNamespace ? " runs in another mount namespace"
                    : " runs as another user") + " and the agent jar cannot be put where it can read it: " + e.getMessage());
        }
    }
}
