package io.routerctl.console.command;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * {@code routerctl --version}: the build's version (from the jar) and the Java running it.
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. Never returns {@code null}.
 */
public final class VersionProvider implements IVersionProvider {

    /** The routerctl version of this build, e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} outside a build. */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("/io/routerctl/console/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {
                "routerctl " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
    }
}
