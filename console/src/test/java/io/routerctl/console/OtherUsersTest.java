package io.routerctl.console;

import io.routerctl.console.context.ExitCode;
import io.routerctl.console.testing.HostileTarget;
import io.routerctl.console.testing.OsUsers;
import io.routerctl.console.testing.OsUsers.Run;
import io.routerctl.console.testing.OsUsers.User;
import io.routerctl.console.testing.RawLineMain;
import io.routerctl.console.testing.TargetMain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Who trusts whom, between real users: {@code rctl-alice} runs services and routerctl,
 * {@code rctl-mallory} is a local neighbour who plants directories, links and impostor targets in a
 * shared sticky directory (like {@code /tmp}) and connects where she should not. Each case runs
 * real processes as those users ({@code setpriv}); it needs root, which CI has, and is skipped
 * elsewhere.
 *
 * <p>The impostor answers every request with a forged task from {@code 10.0.0.1}: whenever alice
 * is refused, that address must not appear in anything she was shown.
 */
class OtherUsersTest {

    private static final String FORGED = "10.0.0.1";
    private static final Duration START = Duration.ofSeconds(60);

    private static OsUsers users;
    private static User alice;
    private static User mallory;
    /** Like /tmp: anyone may create entries, only their owner may remove them. */
    private static Path shared;

    @BeforeAll
    static void makeUsers() throws Exception {
        assumeTrue(OsUsers.available(), "needs root, useradd and setpriv");
        users = OsUsers.sharedBase();
        alice = users.user("rctl-alice");
        mallory = users.user("rctl-mallory");
        shared = Files.createDirectory(users.base().resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        users.run(List.of("chmod", "1777", shared.toString()));
    }

    @AfterAll
    static void removeFiles() throws Exception {
        if (users != null) {
            users.close();
        }
    }

    private static Run routerctl(User as, Path attachDir, String... args) throws Exception {
        return users.run(users.as(as, users.java(attachDir, Routerctl.class.getName(), args)));
    }

    private static void asUser(User as, String... command) throws Exception {
        Run r = users.run(users.as(as, List.of(command)));
        assertThat(r.exit()).as(String.join(" ", command) + ": " + r.err()).isZero();
    }

    /** Mallory's impostor on {@code socket}, claiming {@code pid}; returns once it listens. */
    private static void impostor(User as, Path socket, long pid) throws Exception {
        users.start(users.as(as, users.java(null, HostileTarget.class.getName(), socket.toString(), Long.toString(pid))))
                .awaitLine(START, "ready ");
    }

    private static void assertRefused(Run r, String... fragments) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CANNOT_ATTACH);
        assertThat(r.err().lines()).as("one line: " + r.err()).hasSize(1);
        assertThat(r.err()).contains(fragments);
        assertThat(r.out() + r.err()).doesNotContain(FORGED);
    }

    @Test
    void aDirectoryTheNeighbourCreatedFirstIsRefusedByTheServiceAndByRouterctl() throws Exception {
        Path dir = shared.resolve("routerctl-alice");
        asUser(mallory, "mkdir", "-m", "777", dir.toString());

        OsUsers.Started service = users.start(users.as(alice, users.java(dir, TargetMain.class.getName(), dir.toString(), "payments")));
        String said = service.awaitLine(START, "ready ", "refused ");
        assertThat(said).startsWith("refused attach directory " + dir + " belongs to uid " + mallory.uid()
                + ", not to you (uid " + alice.uid() + ")");
        long servicePid = service.process().pid();
        // With the real service locked out, mallory takes its name.
        impostor(mallory, dir.resolve(servicePid + ".sock"), servicePid);

        assertRefused(routerctl(alice, dir, "list"), "belongs to uid " + mallory.uid(), "rm -r " + dir);
        assertRefused(routerctl(alice, dir, "dump-stuck"), "belongs to uid " + mallory.uid());
        assertRefused(routerctl(alice, dir, "dump-stuck", "--pid", Long.toString(servicePid)),
                "attach directory " + dir + " belongs to uid " + mallory.uid());
        assertRefused(routerctl(alice, dir, "dump-stuck", "--socket", dir.resolve(servicePid + ".sock").toString()),
                "not attaching", "belongs to uid " + mallory.uid() + ", neither you (uid " + alice.uid() + ") nor root");
    }

    @Test
    void aDirectoryOthersMayWriteToIsRefusedEvenWhenItIsYourOwn() throws Exception {
        Path dir = shared.resolve("routerctl-alice-open");
        asUser(alice, "mkdir", "-m", "777", dir.toString());
        impostor(mallory, dir.resolve("4242.sock"), 4242);

        assertRefused(routerctl(alice, dir, "list"), "is writable by group or others (mode rwxrwxrwx); run: chmod 700 " + dir);
        assertRefused(routerctl(alice, dir, "loops", "--pid", "4242"), "writable by group or others");
    }

    @Test
    void aSymbolicLinkTheNeighbourPlantedIsRefused() throws Exception {
        Path hers = shared.resolve("mallory-dir");
        asUser(mallory, "mkdir", "-m", "755", hers.toString());
        Path link = shared.resolve("routerctl-alice-link");
        asUser(mallory, "ln", "-s", hers.toString(), link.toString());
        impostor(mallory, hers.resolve("4343.sock"), 4343);

        assertRefused(routerctl(alice, link, "list"), "attach directory " + link + " is a symbolic link");
        OsUsers.Started service = users.start(users.as(alice, users.java(link, TargetMain.class.getName(), link.toString(), "payments")));
        assertThat(service.awaitLine(START, "ready ", "refused ")).startsWith("refused attach directory " + link + " is a symbolic link");
    }

    @Test
    void aSocketOfTheNeighbourIsNotBelievedEvenWhenNamedExplicitly() throws Exception {
        Path hers = shared.resolve("mallory-open");
        asUser(mallory, "mkdir", "-m", "755", hers.toString());
        Path socket = hers.resolve("4444.sock");
        impostor(mallory, socket, 4444);

        assertRefused(routerctl(alice, null, "dump-stuck", "--socket", socket.toString()),
                "not attaching: " + socket + " belongs to uid " + mallory.uid() + ", neither you (uid " + alice.uid() + ") nor root");
    }

    @Test
    void theNeighboursProcessBehindASocketFileOfYoursIsNotBelieved() throws Exception {
        // Only root could arrange this (mallory listens, the file and directory are alice's): it
        // shows the peer's credentials are checked, not only the file's owner.
        Path dir = shared.resolve("routerctl-alice-peer");
        asUser(alice, "mkdir", "-m", "777", dir.toString());
        Path socket = dir.resolve("4545.sock");
        impostor(mallory, socket, 4545);
        users.run(List.of("chown", "-h", alice.name(), socket.toString()));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));

        Run list = routerctl(alice, dir, "list");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("4545  (not trusted)");
        assertRefused(routerctl(alice, dir, "dump-stuck", "--pid", "4545"),
                "the process listening on " + socket + " runs as " + mallory.name() + ", neither you nor root");
    }

    @Test
    void aHelloClaimingAnotherPidThanTheSocketsNameIsNotBelieved() throws Exception {
        Path dir = shared.resolve("routerctl-alice-pid");
        asUser(alice, "mkdir", "-m", "700", dir.toString());
        impostor(alice, dir.resolve("4646.sock"), 4747);

        Run list = routerctl(alice, dir, "list", "--json");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("\"state\" : \"not trusted\"");
        assertRefused(routerctl(alice, dir, "dump-stuck"), "answered as pid 4747 but is named for pid 4646");
    }

    @Test
    void theServiceRefusesTheNeighbourAndServesRoot() throws Exception {
        Path dir = shared.resolve("routerctl-alice-svc");
        OsUsers.Started service = users.start(users.as(alice, users.java(dir, TargetMain.class.getName(), dir.toString(), "payments")));
        Path socket = Path.of(service.awaitLine(START, "ready ").substring("ready ".length()));
        assertThat(Files.getAttribute(dir, "unix:mode")).as("created 0700").isEqualTo(040700);

        Run blocked = routerctl(mallory, null, "dump-stuck", "--socket", socket.toString());
        assertThat(blocked.exit()).as(blocked.toString()).isEqualTo(ExitCode.CANNOT_ATTACH);
        assertThat(blocked.err()).contains("permission denied");

        // Open the file system's doors, so only the peer-credential check stands between them.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        Run raw = users.run(users.as(mallory, users.java(null, RawLineMain.class.getName(), socket.toString())));
        assertThat(raw.out()).contains("\"code\":\"forbidden\"").contains("not " + mallory.name());

        Run root = routerctl(null, null, "dump-stuck", "--socket", socket.toString());
        assertThat(root.exit()).as("root may attach to a user's service in its own directory: " + root).isZero();
        assertThat(root.out()).contains("127.0.0.1:41000");
    }
}
