package io.routerctl.attachtests;

import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.attachtests.ServiceProcess.Netty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ticket service on each Java 21+ runtime installed beside the tests' own (JDK 25 here; the
 * test says it was skipped where there is none), attached from the console on Java 17: the hung
 * requests, and only they, are listed, the service keeps serving after the detach, and the agent
 * prints nothing into the service's output but the JVM's own dynamic-agent notice (no warning of
 * its own, nor of a library it brings).
 */
class NewerJdkAttachTest {

    /** Where JDKs are looked for: {@code -Dattachtests.jdks=DIR}, else the usual Linux place. */
    static final Path JDKS = Path.of(System.getProperty("attachtests.jdks", "/usr/lib/jvm"));
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    @TempDir
    Path attachDir;

    /** Each runtime under {@link #JDKS} whose release file says Java 21 or later. */
    static Stream<Path> newerJdks() throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(JDKS)) {
            try (Stream<Path> dirs = Files.list(JDKS)) {
                for (Path d : dirs.sorted().toList()) {
                    Path release = d.resolve("release");
                    if (!Files.isSymbolicLink(d) && Files.isRegularFile(release)
                            && Files.isExecutable(d.resolve("bin/java"))) {
                        Matcher m = VERSION.matcher(Files.readString(release));
                        if (m.find() && Integer.parseInt(m.group(1)) >= 21) {
                            found.add(d);
                        }
                    }
                }
            }
        }
        // One empty case, skipped with the reason, so that a machine without one says so.
        return found.isEmpty() ? Stream.of((Path) null) : found.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("newerJdks")
    void attachedOnANewerJdkItListsTheHungRequestsAndPrintsNothingButTheJvmsNotice(Path jdk) throws Exception {
        assumeTrue(jdk != null, "no Java 21+ runtime under " + JDKS + ": the newer-JDK attach was not tried here");
        Cli cli = new Cli(attachDir);
        try (ServiceProcess service = ServiceProcess.start(jdk, AttachToTicketServiceTest.MAIN, Netty.V4_2, attachDir,
                List.of(), List.of("jackson"), List.of());
             Clients clients = new Clients(service.port())) {
            assertThat(clients.ask("/warm", "cached")).as(service.output()).isEqualTo("HTTP/1.1 200 OK");
            Set<Integer> hung = new HashSet<>();
            hung.add(clients.hang("/tickets/before?x=1", "cached"));
            Cli.Result attach = cli.run("attach", Long.toString(service.pid()));
            assertThat(attach.exitCode()).as(attach + service.output()).isZero();
            int after = clients.hang("/tickets/after?x=1", "cached");
            hung.add(after);

            JsonNode doc = AttachToTicketServiceTest.pollStuck(cli, service.pid(),
                    tasks -> AttachToTicketServiceTest.remotePorts(tasks).equals(hung));
            for (JsonNode t : doc.get("tasks")) {
                if (AttachToTicketServiceTest.remotePort(t) == after) {
                    assertThat(t.get("label").asText()).isEqualTo("GET /tickets/after");
                    assertThat(t.get("waiting_on").asText()).isEqualTo(AttachToTicketServiceTest.SITE);
                }
            }

            Cli.Result detach = cli.run("detach", Long.toString(service.pid()));
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            assertThat(clients.ask("/after-detach", "fresh-after-detach")).isEqualTo("HTTP/1.1 200 OK");

            // The JVM's own notice of the dynamic load; nothing of routerctl's or its ASM's
            // (the service's Netty may warn about its own use of Unsafe: that is not ours to judge).
            String output = service.output();
            assertThat(output).contains("WARNING: A Java agent has been loaded dynamically");
            assertThat(output.lines().filter(l -> l.contains("Unsafe") || l.contains("WARNING")))
                    .as(output).noneMatch(l -> l.contains("io.routerctl") || l.contains("objectweb"));
        }
    }
}
