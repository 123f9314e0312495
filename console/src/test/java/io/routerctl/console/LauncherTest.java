package io.routerctl.console;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code routerctl} launcher script, run by bash in a copy of the repository layout, with
 * stand-in {@code mvn} and {@code java} commands that record how they were called.
 */
class LauncherTest {

    @TempDir
    Path tmp;

    private Path repo;
    private Path bin;
    private Path calls;

    @BeforeEach
    void layOutRepository() throws IOException {
        repo = Files.createDirectories(tmp.resolve("repo"));
        bin = Files.createDirectories(tmp.resolve("bin"));
        calls = tmp.resolve("calls.log");
        Files.copy(Path.of("..", "routerctl"), repo.resolve("routerctl"));
        executable(repo.resolve("routerctl"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.createDirectories(repo.resolve("console/src/main/java"));
        Files.writeString(repo.resolve("console/src/main/java/A.java"), "class A {}");
        script("java", "echo \"java $*\" >> " + calls + "\necho \"ROUTERCTL_HOME=$ROUTERCTL_HOME\" >> " + calls);
        script("mvn", "echo \"mvn $* (in $PWD)\" >> " + calls + "\n"
                + "if [ -n \"${FAIL_BUILD:-}\" ]; then echo '[ERROR] COMPILATION ERROR in A.java'; exit 1; fi\n"
                + "echo 'noise Maven prints on success'\n"
                + "mkdir -p console/target samples/target\n"
                + "touch console/target/routerctl.jar samples/target/routerctl-samples.jar");
    }

    private void script(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/usr/bin/env bash\n" + body + "\n");
        executable(p);
    }

    private static void executable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(int exit, String out, String err, List<String> calls) {
    }

    private Run run(Path launcher, boolean failBuild, String... args) throws Exception {
        return run(launcher, failBuild, Map.of(), args);
    }

    private Run run(Path launcher, boolean failBuild, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("ROUTERCTL_JAVA_OPTS");
        if (failBuild) {
            pb.environment().put("FAIL_BUILD", "1");
        }
        pb.environment().putAll(env);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> logged = Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        Files.deleteIfExists(calls);
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), logged);
    }

    @Test
    void buildsOnFirstRunSayingSoThenRunsTheConsoleJar() throws Exception {
        Run r = run(repo.resolve("routerctl"), false, "list", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).isEqualTo("routerctl: building (first run takes about a minute)...\n");
        assertThat(r.out()).as("Maven's output is shown only on failure").isEmpty();
        assertThat(r.calls()).containsExactly(
                "mvn -B -q -DskipTests package (in " + repo.toRealPath() + ")",
                "java -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:+UseSerialGC -Xms8m -XX:-UsePerfData -jar " + repo.toRealPath()
                        + "/console/target/routerctl.jar list --json",
                "ROUTERCTL_HOME=" + repo.toRealPath());
    }

    @Test
    void doesNotRebuildUntilASourceOrPomChanges() throws Exception {
        run(repo.resolve("routerctl"), false, "list");
        Run again = run(repo.resolve("routerctl"), false, "list");
        assertThat(again.err()).isEmpty();
        assertThat(again.calls()).noneMatch(c -> c.startsWith("mvn"));

        // An edit after the last build: the jars are older than the source.
        ageJars(Duration.ofMinutes(2));
        Files.setLastModifiedTime(repo.resolve("console/src/main/java/A.java"), FileTime.from(Instant.now().minusSeconds(60)));
        assertThat(run(repo.resolve("routerctl"), false, "list").calls()).anyMatch(c -> c.startsWith("mvn"));
        assertThat(run(repo.resolve("routerctl"), false, "list").calls()).noneMatch(c -> c.startsWith("mvn"));

        ageJars(Duration.ofMinutes(2));
        Files.setLastModifiedTime(repo.resolve("pom.xml"), FileTime.from(Instant.now().minusSeconds(60)));
        assertThat(run(repo.resolve("routerctl"), false, "list").calls()).anyMatch(c -> c.startsWith("mvn"));
    }

    private void ageJars(Duration by) throws IOException {
        FileTime then = FileTime.from(Instant.now().minus(by));
        Files.setLastModifiedTime(repo.resolve("console/target/routerctl.jar"), then);
        Files.setLastModifiedTime(repo.resolve("samples/target/routerctl-samples.jar"), then);
        Files.setLastModifiedTime(repo.resolve("console/src/main/java/A.java"), FileTime.from(Instant.now().minus(by.multipliedBy(2))));
        Files.setLastModifiedTime(repo.resolve("pom.xml"), FileTime.from(Instant.now().minus(by.multipliedBy(2))));
    }

    /** The build lock once lived in /tmp, where another user could plant a link that the launcher followed. */
    @Test
    void theBuildLockTouchesNoFileAnotherUserCouldHavePlanted() throws Exception {
        Path tmpdir = Files.createDirectories(tmp.resolve("shared-tmp"));
        Path victim = tmp.resolve("victim.txt");
        Files.writeString(victim, "keep me\n");
        Process cksum = new ProcessBuilder("bash", "-c", "printf '%s' \"$1\" | cksum | cut -d' ' -f1", "bash",
                repo.toRealPath().toString()).start();
        String sum = new String(cksum.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Files.createSymbolicLink(tmpdir.resolve("routerctl-build-" + uid + "-" + sum + ".lock"), victim);

        Run r = run(repo.resolve("routerctl"), false, Map.of("TMPDIR", tmpdir.toString()), "list");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.calls()).anyMatch(c -> c.startsWith("mvn"));
        assertThat(victim).hasContent("keep me");
        try (var left = Files.list(tmpdir)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).as("nothing but the planted link")
                    .containsExactly("routerctl-build-" + uid + "-" + sum + ".lock");
        }
    }

    @Test
    void sampleGoesToTheSamplesJar() throws Exception {
        Run r = run(repo.resolve("routerctl"), false, "sample", "--port", "8080");
        assertThat(r.calls()).contains(
                "java -jar " + repo.toRealPath() + "/samples/target/routerctl-samples.jar sample --port 8080");
    }

    @Test
    void worksThroughASymlinkFromAnotherDirectory() throws Exception {
        Path link = Files.createSymbolicLink(Files.createDirectories(tmp.resolve("elsewhere")).resolve("rc"),
                repo.resolve("routerctl"));
        Run r = run(link, false, "--version");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.calls()).contains("ROUTERCTL_HOME=" + repo.toRealPath());
    }

    @Test
    void aFailedBuildShowsMavensOutputAndExitsTwo() throws Exception {
        Run r = run(repo.resolve("routerctl"), true, "list");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("routerctl: building").contains("[ERROR] COMPILATION ERROR in A.java");
        assertThat(r.err().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("routerctl: the build failed (Maven's output is above)");
        assertThat(r.calls()).noneMatch(c -> c.startsWith("java"));
    }
}
