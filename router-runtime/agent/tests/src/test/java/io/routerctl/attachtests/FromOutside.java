package io.routerctl.attachtests;

import io.routerctl.attachtests.probe.RetransformProbe;
import io.routerctl.console.agent.HotSpotAttach;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM looks like from outside, as an operator would check it after a detach: its threads
 * and class loaders ({@code jcmd}), its metaspace and resident memory, and, through a retransform
 * probe agent loaded into it, whether its classes still run routerctl's hooks.
 *
 * <h2>Thread safety</h2>
 * One test thread.
 */
final class FromOutside {

    private static final Pattern THREAD = Pattern.compile("^\"([^\"]*)\"", Pattern.MULTILINE);
    private static final Pattern LOADER = Pattern.compile("\\+-- (?:\"([^\"]*)\", )?([\\w.$]+)(?: \\(\\+ (\\d+) more\\))?");
    private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used (\\d+)K");

    private final long pid;
    private final Path work;
    private Path probeJar;

    FromOutside(long pid, Path work) {
        this.pid = pid;
        this.work = work;
    }

    /** {@code jcmd <pid> <command...>}'s output. */
    String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(pid));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /** The names of the JVM's threads now. */
    List<String> threads() throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        Matcher m = THREAD.matcher(jcmd("Thread.print"));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The threads whose name says they are routerctl's. */
    List<String> routerctlThreads() throws IOException, InterruptedException {
        return threads().stream().filter(n -> n.startsWith("routerctl")).toList();
    }

    /** A full collection, as {@code jcmd GC.run}; class loaders nobody reaches are unloaded. */
    void gc() throws IOException, InterruptedException {
        jcmd("GC.run");
    }

    /** Live class loaders by name (or class, when unnamed), counted. */
    Map<String, Integer> classLoaders() throws IOException, InterruptedException {
        Map<String, Integer> out = new TreeMap<>();
        Matcher m = LOADER.matcher(jcmd("VM.classloaders"));
        while (m.find()) {
            String key = m.group(1) != null ? m.group(1) : m.group(2);
            int n = 1 + (m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
            out.merge(key, n, Integer::sum);
        }
        return out;
    }

    /** Metaspace in use, in KiB. */
    long metaspaceUsedKb() throws IOException, InterruptedException {
        Matcher m = METASPACE.matcher(jcmd("GC.heap_info"));
        if (!m.find()) {
            throw new IOException("no metaspace line in GC.heap_info");
        }
        return Long.parseLong(m.group(1));
    }

    /** The code cache in use, in KiB. */
    long codeCacheUsedKb() throws IOException, InterruptedException {
        Matcher m = Pattern.compile("used=(\\d+)Kb").matcher(jcmd("Compiler.codecache"));
        long sum = 0;
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    /** Resident memory, in KiB. */
    long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /**
     * Loads the retransform probe into the JVM and returns, per class, whether the code it runs now
     * calls routerctl's hooks ({@code hooked}, {@code clean}, {@code missing}).
     */
    Map<String, String> codeOf(String... classes) throws IOException, InterruptedException {
        Path report = work.resolve("probe-" + System.nanoTime() + ".txt");
        HotSpotAttach.Reply r = HotSpotAttach.execute(pid, HotSpotAttach.deadline(Duration.ofSeconds(30)), "load",
                "instrument", "false", probeJar() + "=" + report + ";" + String.join(";", classes));
        if (r.status() != 0 || !r.output().strip().startsWith("return code: 0")) {
            throw new IOException("the probe did not load: " + r);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(report)) {
            int space = line.indexOf(' ');
            out.put(line.substring(0, space), line.substring(space + 1));
        }
        return out;
    }

    private Path probeJar() throws IOException {
        if (probeJar == null) {
            Manifest mf = new Manifest();
            mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            mf.getMainAttributes().putValue("Agent-Class", RetransformProbe.class.getName());
            mf.getMainAttributes().putValue("Can-Retransform-Classes", "true");
            Path jar = work.resolve("retransform-probe.jar");
            String entry = RetransformProbe.class.getName().replace('.', '/') + ".class";
            Path classes = Path.of(System.getProperty("attachtests.classes", "target/test-classes"));
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, mf)) {
                for (String name : List.of(entry, entry.replace(".class", "$1.class"))) {
                    out.putNextEntry(new JarEntry(name));
                    out.write(Files.readAllBytes(classes.resolve(name)));
                    out.closeEntry();
                }
            }
            probeJar = jar;
        }
        return probeJar;
    }
}
