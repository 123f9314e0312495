package io.routerctl.attachtests;

import io.routerctl.attachtests.ServiceProcess.Netty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The attach says when the JVM throws its compiled code away for the attach's class changes, and
 * only then, checked against the JVM's own account of it: the ticket service started with
 * {@code -Xlog:redefine+class+nmethod=debug}, which logs at each redefinition whether HotSpot marked
 * all compiled methods for deoptimization or only those depending on the changed classes. On the
 * tests' Java 17 the first attach does the former and says so; an attach after a detach does the
 * latter and says nothing; on each newer runtime installed beside it (JDK 25 here), it says so exactly
 * when that JVM's log does (a Java 21 or 22 build may or may not have the change: "may discard").
 */
class RecompileNoteTest {

    static final String ALL = "Marked all nmethods for deopt";
    /** JDK 17: "Marked 12 dependent nmethods for deopt"; JDK 25: "Marked dependent nmethods for deopt". */
    static final String DEPENDENT = "dependent nmethods for deopt";
    static final String NOTE = "discards all compiled code";

    @TempDir
    Path attachDir;

    @Test
    void onJava17TheFirstAttachSaysTheJvmRecompilesEverythingAndALaterOneDoesNot() throws Exception {
        assumeTrue(Runtime.version().feature() < 23, "the tests' runtime records dependencies from the start");
        Cli cli = new Cli(attachDir);
        try (ServiceProcess service = ServiceProcess.start(AttachToTicketServiceTest.MAIN, Netty.V4_2, attachDir,
                List.of("-Xlog:redefine+class+nmethod=debug"));
             Clients clients = new Clients(service.port())) {
            assertThat(clients.ask("/warm", "cached")).isEqualTo("HTTP/1.1 200 OK");
            String pid = Long.toString(service.pid());

            Cli.Result first = cli.run("attach", pid);
            assertThat(first.exitCode()).as(first.toString()).isZero();
            Poll.until(Duration.ofSeconds(10), "the JVM's log of the first redefinition",
                    () -> service.output().contains("[redefine,class,nmethod]"));
            assertThat(service.output()).as("the JVM's own account").contains(ALL).doesNotContain(DEPENDENT);
            assertThat(first.out().lines().filter(l -> l.startsWith("note: ")))
                    .singleElement().asString().contains("Java " + Runtime.version().feature() + " " + NOTE);

            Cli.Result detach = cli.run("detach", pid);
            assertThat(detach.exitCode()).as(detach.toString()).isZero();
            Cli.Result again = cli.run("attach", pid);
            assertThat(again.exitCode()).as(again.toString()).isZero();
            Poll.until(Duration.ofSeconds(10), "the JVM's log of a later redefinition",
                    () -> service.output().contains(DEPENDENT));
            assertThat(service.output().split(ALL, -1)).as("all compiled code discarded once only").hasSize(2);
            assertThat(again.out()).startsWith("attached to " + pid).doesNotContain(NOTE);
            assertThat(clients.ask("/after", "fresh-after")).as("the service still answers").isEqualTo("HTTP/1.1 200 OK");
        }
    }

    static Stream<Path> newerJdks() throws Exception {
        return NewerJdkAttachTest.newerJdks();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("newerJdks")
    void onANewerJdkTheAttachSaysNothingAndTheJvmKeepsWhatDoesNotDepend(Path jdk) throws Exception {
        assumeTrue(jdk != null, "no Java 21+ runtime under " + NewerJdkAttachTest.JDKS);
        Cli cli = new Cli(attachDir);
        try (ServiceProcess service = ServiceProcess.start(jdk, AttachToTicketServiceTest.MAIN, Netty.V4_2, attachDir,
                List.of("-Xlog:redefine+class+nmethod=debug"), List.of("jackson"), List.of());
             Clients clients = new Clients(service.port())) {
            assertThat(clients.ask("/warm", "cached")).isEqualTo("HTTP/1.1 200 OK");
            Cli.Result attach = cli.run("attach", Long.toString(service.pid()));
            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            Poll.until(Duration.ofSeconds(10), "the JVM's log of the redefinition",
                    () -> service.output().contains("[redefine,class,nmethod]"));
            String what = attach.out() + "\n" + service.output();
            if (service.output().contains(ALL)) {
                // A Java 21 or 22 without the change discards everything too: then it must say so.
                assertThat(attach.out()).as(what).containsAnyOf(NOTE, "may discard all compiled code");
            } else {
                assertThat(attach.out()).as(what).doesNotContain(NOTE);
            }
        }
    }
}
