package io.routerctl.attachtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.routerctl.attachtests.ServiceProcess.Netty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The release archive as a user gets it: unpacked with {@code tar} into a directory of its own,
 * run through a link to {@code bin/routerctl} with a PATH that has neither Maven nor java on it
 * (only {@code JAVA_HOME}), it attaches to a service started without routerctl and lists exactly
 * the hung requests.
 */
class ReleaseArchiveTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the launcher runs, besides the shell and java: the PATH of the runs below holds only these. */
    private static final List<String> TOOLS = List.of("sh", "readlink", "ls", "cksum", "mkdir", "mv",
            "rm", "cat");

    static Path tarball;
    static Path zip;

    @TempDir
    static Path unpacked;
    @TempDir
    Path attachDir;
    @TempDir
    Path home;

    @BeforeAll
    static void unpack() throws Exception {
        tarball = Path.of(System.getProperty("attachtests.release"));
        zip = Path.of(tarball.toString().replaceAll("\\.tar\\.gz$", ".zip"));
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", unpacked.toString())
                .redirectErrorStream(true).start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    static Path root() throws IOException {
        try (Stream<Path> s = Files.list(unpacked)) {
            return s.filter(p -> p.getFileName().toString().startsWith("routerctl-")).findFirst().orElseThrow();
        }
    }

    @Test
    void theArchiveHoldsTheLauncherTheJarsAndWhatTheyNeedAndTheZipTheSame() throws Exception {
        Path root = root();
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).forEach(p -> files.add(root.relativize(p).toString()));
        }
        assertThat(files).contains("bin/routerctl", "lib/routerctl.jar", "lib/routerctl-agent.jar",
                "lib/routerctl-samples.jar", "completion/routerctl.bash", "completion/_routerctl", "jfr/routerctl.jfc",
                "schemas/dump-stuck.schema.json", "playbooks/hung-requests.playbook", "LICENSE", "NOTICE", "README.md");
        assertThat(Files.isExecutable(root.resolve("bin/routerctl"))).isTrue();
        assertThat(Files.readString(root.resolve("completion/routerctl.bash"))).contains("dump-stuck", "complete -F");

        Process unzip = new ProcessBuilder("unzip", "-Z1", zip.toString()).redirectErrorStream(true).start();
        String listing = new String(unzip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(unzip.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Set<String> zipped = new TreeSet<>();
        for (String line : listing.split("\n")) {
            if (!line.isBlank() && !line.endsWith("/")) {
                zipped.add(line.substring(line.indexOf('/') + 1));
            }
        }
        assertThat(zipped).isEqualTo(files);

        String license = Files.readString(root.resolve("LICENSE"));
        assertThat(license).contains("Apache License", "Version 2.0, January 2004");
        for (String jar : List.of("lib/routerctl.jar", "lib/routerctl-agent.jar")) {
            try (JarFile j = new JarFile(root.resolve(jar).toFile())) {
                assertThat(new String(j.getInputStream(j.getEntry("META-INF/LICENSE")).readAllBytes(),
                        StandardCharsets.UTF_8)).as(jar).isEqualTo(license);
                assertThat(new String(j.getInputStream(j.getEntry("META-INF/NOTICE")).readAllBytes(),
                        StandardCharsets.UTF_8)).as(jar).startsWith("routerctl").contains("ASM, Copyright");
            }
        }
    }

    @Test
    void unpackedWithOnlyAJavaRuntimeItAttachesAndListsExactlyTheHungRequests() throws Exception {
        Path link = home.resolve("bin/routerctl");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, root().resolve("bin/routerctl"));
        try (ServiceProcess service = ServiceProcess.start(AttachToTicketServiceTest.MAIN, Netty.V4_2, attachDir,
                List.of());
             Clients clients = new Clients(service.port())) {
            assertThat(clients.ask("/warm", "cached")).as(service.output()).isEqualTo("HTTP/1.1 200 OK");
            Set<Integer> hung = new HashSet<>();
            hung.add(clients.hang("/tickets/before?x=1", "cached"));

            Run attach = run(link, "attach", Long.toString(service.pid()));
            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            assertThat(attach.out()).startsWith("attached to " + service.pid() + " in ");
            hung.add(clients.hang("/tickets/after?x=1", "cached"));

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            Run dump;
            Set<Integer> seen;
            do {
                dump = run(link, "dump-stuck", "--pid", Long.toString(service.pid()), "--older-than", "200ms", "--json");
                seen = dump.exitCode() == 0
                        ? AttachToTicketServiceTest.remotePorts(JSON.readTree(dump.out()).get("tasks")) : Set.of();
            } while (!seen.equals(hung) && System.nanoTime() < deadline);
            assertThat(seen).as(dump.toString()).isEqualTo(hung);
            JsonNode doc = JSON.readTree(dump.out());
            assertThat(doc.get("schema").asText()).isEqualTo("routerctl.dump-stuck/1");
            // Once more, as a script would: the archive the first run wrote is the one it maps.
            Run again = run(link, "dump-stuck", "--pid", Long.toString(service.pid()), "--older-than", "200ms");
            assertThat(again.exitCode()).as(again.toString()).isZero();

            Run detach = run(link, "detach", Long.toString(service.pid()));
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(clients.ask("/after-detach", "fresh-after-detach")).isEqualTo("HTTP/1.1 200 OK");
        }
        // The first runs left a class-data sharing archive in the user's cache, in a directory only they can use.
        Path cache = home.resolve("cache/routerctl");
        assertThat(Files.getPosixFilePermissions(cache)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        // Written in the background after a command's first run: one archive, however often and
        // whichever commands ran (its name must not depend on what the runs changed), with dump-stuck in it.
        Poll.until(Duration.ofSeconds(60), "the background class-data archive with dump-stuck in it", () -> {
            List<String> now = names(cache);
            return now.stream().anyMatch(n -> n.endsWith(".has-dump-stuck")) && now.stream().noneMatch(n -> n.endsWith(".lock"));
        });
        List<String> names = names(cache);
        assertThat(names).as("the cache").filteredOn(n -> n.endsWith(".jsa")).singleElement()
                .satisfies(n -> assertThat(n).startsWith("routerctl-"));
        assertThat(names).as("the cache").anyMatch(n -> n.endsWith(".has-dump-stuck"))
                .noneMatch(n -> n.endsWith(".failed") || n.endsWith(".tmp") || n.endsWith(".all"));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aCacheDirectoryOthersCanWriteIsNotUsed() throws Exception {
        Path cache = Files.createDirectories(home.resolve("cache/routerctl"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        Run version = run(root().resolve("bin/routerctl"), "--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("routerctl ");
        try (Stream<Path> s = Files.list(cache)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void withoutAJavaItSaysSoInOneLine() throws Exception {
        Run r = run(root().resolve("bin/routerctl"), Map.of("JAVA_HOME", home.resolve("no-jdk").toString()), "list");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("routerctl: JAVA_HOME is ").endsWith("unset it\n").hasLineCount(1);
        Run none = run(root().resolve("bin/routerctl"), Map.of("JAVA_HOME", ""), "list");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("routerctl: no java on the PATH; install a Java 17+ runtime (a JRE is enough) "
                + "or set JAVA_HOME\n");
    }

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private Run run(Path launcher, String... args) throws Exception {
        return run(launcher, Map.of(), args);
    }

    /** The launcher with a bare environment: JAVA_HOME, a PATH of the few tools it uses, a cache of its own. */
    private Run run(Path launcher, Map<String, String> env, String... args) throws Exception {
        Path tools = home.resolve("tools");
        if (!Files.isDirectory(tools)) {
            Files.createDirectories(tools);
            for (String t : TOOLS) {
                Path real = Stream.of("/usr/bin", "/bin").map(d -> Path.of(d, t)).filter(Files::isExecutable)
                        .findFirst().orElseThrow(() -> new AssertionError("no " + t));
                Files.createSymbolicLink(tools.resolve(t), real);
            }
        }
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", tools.toString());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CACHE_HOME", home.resolve("cache").toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("ROUTERCTL_ATTACH_DIR", attachDir.toString());
        pb.environment().putAll(env);
        if ("".equals(env.get("JAVA_HOME"))) {
            pb.environment().remove("JAVA_HOME");
        }
        Path out = home.resolve("out");
        Path err = home.resolve("err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("routerctl " + String.join(" ", args)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
