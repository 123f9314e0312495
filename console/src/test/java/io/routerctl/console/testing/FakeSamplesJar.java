package io.routerctl.console.testing;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes a jar with nothing in it but a manifest: {@code Main-Class} names a test class and
 * {@code Class-Path} points at this test run's classpath, so {@code java -jar} on it runs that class
 * as the samples jar would run.
 */
public final class FakeSamplesJar {

    private FakeSamplesJar() {
    }

    public static Path write(Path dir, Class<?> mainClass) throws IOException {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, mainClass.getName());
        a.put(Attributes.Name.CLASS_PATH, String.join(" ", classPathUrls()));
        Path jar = dir.resolve(mainClass.getSimpleName() + ".jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.flush();
        }
        return jar;
    }

    private static List<String> classPathUrls() {
        // Surefire may run tests from a manifest-only jar; it then names the real classpath here.
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> urls = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                urls.add(Path.of(entry).toAbsolutePath().toUri().toString());
            }
        }
        return urls;
    }
}
