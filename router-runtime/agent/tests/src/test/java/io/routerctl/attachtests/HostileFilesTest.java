package io.routerctl.attachtests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * routerctl attach tried by an attacker: another user who plants a link where the JVM's attach
 * trigger goes, and a container's tenant who makes its /tmp a link out of its root, swaps the agent
 * jar's copy for a link while it is written, or lets its /tmp fill up. Each attack fails: no file of
 * anyone else is touched, nothing lands on the host, and the service keeps serving. Needs root (to
 * make users, namespaces and roots), as CI has; elsewhere each test says why it is skipped.
 */
class HostileFilesTest {

    @TempDir
    Path base;
    @TempDir
    Path attachDir;

    @Test
    void anotherUsersLinkAtTheTriggerPathIsNeitherFollowedNorDeleted() throws Exception {
        assumeTrue(OsUser.available(), "needs root, useradd and setpriv to act as two other users");
        OsUser victim = OsUser.of("rctl-victim");
        OsUser attacker = OsUser.of("rctl-attacker");
        Path shared = shared(victim);
        Path precious = Files.createTempDirectory(Path.of("/var/tmp"), "rctl-victim-").resolve("precious");
        try {
            Files.writeString(precious, "the victim's data\n");
            chown(precious.getParent(), victim);
            chown(precious, victim);
            Files.setPosixFilePermissions(precious, PosixFilePermissions.fromString("rw-------"));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path victimDir = shared.resolve("attach");
            List<String> service = new ArrayList<>(List.of("env", "ROUTERCTL_ATTACH_DIR=" + victimDir, java, "-Xmx128m",
                    "-cp", classPath(shared), AttachToTicketServiceTest.MAIN, "0"));
            // As systemd starts it: working directory "/", which its user cannot write, so the JVM
            // looks for its attach trigger in /tmp, where anyone may plant names.
            List<String> full = new ArrayList<>(List.of("sh", "-c", "cd / && exec \"$@\"", "sh"));
            full.addAll(service);
            try (ServiceProcess s = ServiceProcess.run(victim.run(full), Map.of())) {
                long pid = s.jvmPid();
                Path trigger = Path.of("/tmp/.attach_pid" + pid);
                run(attacker.run(List.of("ln", "-s", precious.toString(), trigger.toString())));
                try {
                    assertThat(Files.isSymbolicLink(trigger)).isTrue();
                    OsRun refused = runConsole(victim, shared, java, "attach", Long.toString(pid));
                    assertThat(refused.exit()).as(refused.out()).isEqualTo(3);
                    assertThat(refused.out().strip()).startsWith("routerctl attach: /tmp/.attach_pid" + pid)
                            .contains("rctl-attacker", "not using it").hasLineCount(1);
                    assertThat(precious).as("the link's target is untouched").hasContent("the victim's data");
                    assertThat(Files.isSymbolicLink(trigger)).as("and the attacker's link is not ours to remove").isTrue();
                } finally {
                    Files.deleteIfExists(trigger);
                }
                OsRun attached = runConsole(victim, shared, java, "attach", Long.toString(pid));
                assertThat(attached.exit()).as(attached.out()).isZero();
                assertThat(attached.out()).startsWith("attached to " + pid);
                assertThat(trigger).as("the trigger routerctl made is gone").doesNotExist();
                assertThat(precious).hasContent("the victim's data");
                OsRun detached = runConsole(victim, shared, java, "detach", Long.toString(pid));
                assertThat(detached.exit()).as(detached.out()).isZero();
            }
        } finally {
            Files.deleteIfExists(precious);
            Files.deleteIfExists(precious.getParent());
        }
    }

    @Test
    void aContainersTmpThatLinksOutOfItsRootReceivesNothing() throws Exception {
        assumeTrue(Chroot.available(), "needs root, unshare and chroot to run a container");
        Path host = Files.createTempDirectory(Path.of("/var/tmp"), "rctl-host-");
        try (ServiceProcess s = Chroot.of(base).start(new Chroot.LinkTo(host))) {
            long pid = s.jvmPid();
            Cli.Result r = new Cli(attachDir).run("attach", Long.toString(pid));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.err().strip()).contains("/tmp of process " + pid + " is a symbolic link").hasLineCount(1);
            assertThat(list(host)).as("nothing lands where the link points on the host").isEmpty();
            assertThat(s.isAlive()).isTrue();
        } finally {
            deleteTree(host);
        }
    }

    @Test
    void aFullTmpInAContainerIsSaidInOneLineAndTheNextAttachStartsAfresh() throws Exception {
        assumeTrue(Chroot.available(), "needs root, unshare and chroot to run a container");
        Chroot container = Chroot.of(base);
        // A /tmp with room for half the agent jar: the copy runs out of space halfway.
        long jarKb = Files.size(Path.of(System.getProperty("routerctl.agent.jar"))) / 1024;
        try (ServiceProcess s = container.start(new Chroot.Tiny((int) Math.max(64, jarKb / 2)))) {
            long pid = s.jvmPid();
            Path tmp = container.root().resolve("tmp");
            Cli cli = new Cli(attachDir);
            Cli.Result full = cli.run("attach", Long.toString(pid));
            assertThat(full.exitCode()).as(full.toString()).isEqualTo(3);
            assertThat(full.err().strip()).contains("no space left in /tmp of process " + pid).hasLineCount(1);
            assertThat(list(tmp)).as("no partial copy left behind").noneMatch(n -> n.startsWith(".routerctl-agent")
                    || n.startsWith("routerctl-agent"));
            FromOutside outside = new FromOutside(pid, base);
            assertThat(outside.routerctlThreads()).as("nothing was loaded").isEmpty();

            run(List.of("nsenter", "-t", Long.toString(pid), "-m", "mount", "-o", "remount,size=65536k", tmp.toString()));
            Cli.Result attached = cli.run("attach", Long.toString(pid));
            assertThat(attached.exitCode()).as(attached.toString()).isZero();
            Cli.Result detached = cli.run("detach", Long.toString(pid));
            assertThat(detached.exitCode()).as(detached.toString()).isZero();
        }
    }

    @Test
    void aTenantSwappingTheAgentJarForALinkCannotMakeRootChangeAHostFile() throws Exception {
        assumeTrue(Chroot.available(), "needs root, unshare and chroot to run a container");
        Path secret = base.resolve("host-secret");
        Files.writeString(secret, "root's secret\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Chroot container = Chroot.of(base);
        try (ServiceProcess s = container.start(new Chroot.Dir())) {
            long pid = s.jvmPid();
            Path tmp = container.root().resolve("tmp");
            Cli cli = new Cli(attachDir);
            // The copy is named by the jar's content, so a tenant knows the name in advance.
            Cli.Result first = cli.run("attach", Long.toString(pid));
            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(cli.run("detach", Long.toString(pid)).exitCode()).isZero();
            String jarName = list(tmp).stream().filter(n -> n.startsWith("routerctl-agent-") && n.endsWith(".jar"))
                    .findFirst().orElseThrow();

            AtomicBoolean attacking = new AtomicBoolean(true);
            AtomicInteger swaps = new AtomicInteger();
            Thread tenant = new Thread(() -> {
                while (attacking.get()) {
                    try (DirectoryStream<Path> names = Files.newDirectoryStream(tmp, "*.part")) {
                        for (Path part : names) {
                            Files.deleteIfExists(part);
                            Files.createSymbolicLink(part, secret);
                            swaps.incrementAndGet();
                        }
                    } catch (IOException e) {
                        // The race goes on.
                    }
                }
            }, "tenant");
            tenant.start();
            try {
                for (int i = 0; i < 10; i++) {
                    Path copy = tmp.resolve(jarName);
                    Files.deleteIfExists(copy);
                    Files.createSymbolicLink(copy, secret); // planted where the copy goes
                    Cli.Result r = cli.run("attach", Long.toString(pid));
                    assertThat(r.exitCode()).as(r.toString()).isIn(0, 3);
                    assertThat((r.out() + r.err()).strip().lines().filter(l -> !l.startsWith("note: ")))
                            .as("one line, besides a first attach's note on Java 17").hasSize(1);
                    if (r.exitCode() == 0) {
                        assertThat(Files.isSymbolicLink(copy)).as("the planted link was replaced, not followed").isFalse();
                        assertThat(cli.run("detach", Long.toString(pid)).exitCode()).isZero();
                    }
                    assertThat(secret).hasContent("root's secret");
                    assertThat(Files.getPosixFilePermissions(secret)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
                }
            } finally {
                attacking.set(false);
                tenant.join(10_000);
            }
            System.out.println("the tenant swapped " + swaps.get() + " partial copies for links");
            assertThat(secret).hasContent("root's secret");
            assertThat(Files.getPosixFilePermissions(secret)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(s.isAlive()).isTrue();
        }
    }

    // ---- helpers

    record OsRun(int exit, String out) {
    }

    private static OsRun runConsole(OsUser user, Path shared, String java, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java, "-Drouterctl.attach.dir=" + shared.resolve("attach"),
                "-jar", shared.resolve("routerctl.jar").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(user.run(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new OsRun(p.exitValue(), out);
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    /** A directory both users can read: the service's class path, the console and the agent jar. */
    private Path shared(OsUser owner) throws Exception {
        Path shared = Files.createDirectories(base.resolve("shared"));
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path classes = Path.of(System.getProperty("attachtests.classes", "target/test-classes"));
        copyTree(classes.resolve("com/example/tickets"), shared.resolve("classes/com/example/tickets"));
        copyTree(Path.of(System.getProperty("attachtests.libs"), "netty-4.2"), shared.resolve("lib"));
        Path console = Path.of(System.getProperty("attachtests.console"));
        Files.copy(console, shared.resolve("routerctl.jar"));
        Files.copy(Path.of(System.getProperty("routerctl.agent.jar")), shared.resolve("routerctl-agent.jar"));
        try (Stream<Path> all = Files.walk(shared)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Path attach = Files.createDirectories(shared.resolve("attach"));
        Files.setPosixFilePermissions(attach, PosixFilePermissions.fromString("rwx------"));
        chown(attach, owner);
        return shared;
    }

    private static String classPath(Path shared) throws IOException {
        List<String> cp = new ArrayList<>(List.of(shared.resolve("classes").toString()));
        try (Stream<Path> jars = Files.list(shared.resolve("lib"))) {
            jars.sorted().forEach(j -> cp.add(j.toString()));
        }
        return String.join(":", cp);
    }

    private static void chown(Path p, OsUser user) throws IOException {
        Files.setAttribute(p, "unix:uid", user.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", user.gid(), LinkOption.NOFOLLOW_LINKS);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
