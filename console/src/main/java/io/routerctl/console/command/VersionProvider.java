package io.routerctl.console.command;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * {@code routerctl --version}: the build's version and commit (from the jar) and the Java running it.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. Never returns {@code null}.
 */
public final class VersionProvider implements IVersionProvider {

    /** The routerctl version of this build, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} outside a build. */
    public static String version() {
        return property("version");
    }

    /**
     * The commit this build was made from, e.g. {@code 952e4e2a1b}, with {@code (modified)} when the
     * working tree had changes; {@code unknown} when it was built outside a git checkout.
     */
    public static String commit() {
        String c = property("commit");
        return c.equals("unknown") ? c : c + ("true".equals(property("dirty")) ? " (modified)" : "");
    }

    private static String property(String name) {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/io/routerctl/console/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty(name, "unknown");
            return v.isBlank() || v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
                "routerctl " + version() + ", commit " + commit(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
