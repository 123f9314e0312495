package io.routerctl.attachtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.attachtests.ServiceProcess.Netty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * routerctl from the host on services in real namespaces ({@code unshare}), the way containers run
 * them: a service in its own pid and mount namespace, with its own attach directory, attached and read
 * by the pid the host sees; and a sidecar's case, a service in its own pid namespace sharing the
 * attach directory, whose socket is named by a pid that means nothing here and must survive
 * {@code list}.
 */
class ContainerTest {

    static final String MAIN = "com.example.tickets.TicketService";
    static final String HANDLER = "TicketHandler (ticket)";

    /**
     * A container: new pid and mount namespaces, /proc of its own, and a file system of its own where
     * its attach socket goes (a tmpfs over its /tmp/routerctl-UID: the rest of /tmp stays shared,
     * since the build itself may run from there).
     */
    static final List<String> CONTAINER = List.of("unshare", "--pid", "--fork", "--kill-child", "--mount",
            "--mount-proc", "sh", "-c", "d=/tmp/routerctl-$(id -u) && mkdir -p $d && chmod 700 $d"
                    + " && mount -t tmpfs -o mode=0700 routerctl-test $d && exec \"$0\" \"$@\"");

    /** A sidecar's neighbour: a new pid namespace, the same file system. */
    static final List<String> PID_NAMESPACE = List.of("unshare", "--pid", "--fork", "--kill-child");

    @TempDir
    Path attachDir;

    /** This user's uid, which names the attach directory (the container's user is the same). */
    static final int UID = uid();

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void namespacesCanBeMade() throws Exception {
        Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount", "--mount-proc", "sh", "-c",
                "d=$(mktemp -d) && mount -t tmpfs t $d && umount $d && rmdir $d").redirectErrorStream(true).start();
        boolean ok = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        assumeTrue(ok, "unshare cannot make pid and mount namespaces here (needs root or user namespaces): "
                + new String(p.getInputStream().readAllBytes()));
    }

    @Test
    void aServiceInAContainerIsListedAttachedAndReadByItsHostPid() throws Exception {
        Cli cli = new Cli(attachDir);
        try (ServiceProcess service = ServiceProcess.start(MAIN, Netty.V4_2, null, List.of(), List.of("jackson"),
                CONTAINER);
             Clients clients = new Clients(service.port())) {
            long pid = service.jvmPid();
            assertThat(pid).isNotEqualTo(service.pid());
            assertThat(Files.readString(Path.of("/proc/" + pid + "/status"))).containsPattern("NSpid:\\s+" + pid + "\\s+1\\n");

            Cli.Result attach = cli.run("attach", Long.toString(pid), "--name", "boxed-tickets");
            assertThat(attach.exitCode()).as(attach + service.output()).isZero();
            assertThat(attach.out()).startsWith("attached to " + pid + " in ")
                    .contains("socket /tmp/routerctl-" + UID + "/1.sock"); // as the service sees it

            Path socket = Path.of("/proc/" + pid + "/root/tmp/routerctl-" + UID + "/1.sock");
            Cli.Result list = cli.run("list", "--json");
            JsonNode mine = null;
            for (JsonNode t : list.json().get("targets")) {
                if (t.get("pid").asLong() == pid) {
                    mine = t;
                }
            }
            assertThat(mine).as(list.toString()).isNotNull();
            assertThat(mine.get("socket").asText()).isEqualTo(socket.toString());
            assertThat(mine.get("name").asText()).isEqualTo("boxed-tickets");
            assertThat(mine.get("answering").asBoolean()).isTrue();
            assertThat(Files.exists(Path.of("/tmp/routerctl-" + UID + "/1.sock"))).as("its socket is not in the host's directory")
                    .isFalse();

            assertThat(clients.ask("/warm", "cached")).isEqualTo("HTTP/1.1 200 OK");
            Set<Integer> hung = new HashSet<>();
            hung.add(clients.hang("/tickets/1", "cached"));
            hung.add(clients.hang("/tickets/2", "cached"));
            JsonNode stuck = AttachToTicketServiceTest.pollStuck(cli, pid,
                    tasks -> AttachToTicketServiceTest.remotePorts(tasks).equals(hung));
            assertThat(stuck.get("target").get("name").asText()).isEqualTo("boxed-tickets");
            for (JsonNode t : stuck.get("tasks")) {
                assertThat(t.get("waiting_on").asText()).isEqualTo(AttachToTicketServiceTest.SITE);
            }
            Cli.Result byName = cli.run("dump-stuck", "--name", "boxed-tickets", "--older-than", "200ms");
            assertThat(byName.exitCode()).as(byName.toString()).isZero();
            assertThat(byName.out()).contains("2 requests waiting on " + AttachToTicketServiceTest.SITE);

            Cli.Result detach = cli.run("detach", "--name", "boxed-tickets");
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(detach.out()).startsWith(pid + " detached: ");
            assertThat(cli.run("list", "--json").json().toString()).doesNotContain(socket.toString());
            assertThat(clients.ask("/after-detach", "fresh")).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aSidecarsNeighbourKeepsItsSocketAndIsReadThroughIt() throws Exception {
        Cli cli = new Cli(attachDir);
        String agent = "-javaagent:" + System.getProperty("routerctl.agent.jar") + "=name=neighbour";
        try (ServiceProcess service = ServiceProcess.start(MAIN, Netty.V4_2, attachDir, List.of(agent),
                List.of("jackson"), PID_NAMESPACE);
             Clients clients = new Clients(service.port())) {
            assertThat(clients.ask("/warm", "cached")).isEqualTo("HTTP/1.1 200 OK");
            Path socket = attachDir.resolve("1.sock"); // pid 1 in its namespace; here pid 1 is someone else
            for (int i = 0; i < 3; i++) {
                Cli.Result list = cli.run("list");
                assertThat(list.exitCode()).as(list.toString()).isZero();
                assertThat(list.out()).contains("neighbour").contains(socket.toString());
                assertThat(Files.exists(socket)).as("list must not delete a live socket").isTrue();
            }
            int port = clients.hang("/tickets/1", "cached");
            JsonNode stuck = AttachToTicketServiceTest.pollStuck(cli, 1,
                    tasks -> AttachToTicketServiceTest.remotePorts(tasks).contains(port));
            assertThat(stuck.get("target").get("pid").asLong()).isEqualTo(1);
        }
    }
}
