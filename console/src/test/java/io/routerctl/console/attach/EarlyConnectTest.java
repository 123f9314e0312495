package io.routerctl.console.attach;

import io.routerctl.console.context.CommandException;
import io.routerctl.console.context.ExitCode;
import io.routerctl.console.testing.AttachDirProperty;
import io.routerctl.console.testing.StuckFixture;
import io.routerctl.probes.attach.AttachServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The attach a plain command line begins before picocli has parsed it, and who may take it. */
class EarlyConnectTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long ME = ProcessHandle.current().pid();

    @TempDir
    Path attachDir;

    private AttachDirProperty property;

    @BeforeEach
    void setUp() {
        property = new AttachDirProperty(attachDir);
    }

    @AfterEach
    void tearDown() {
        property.close();
        // Nothing begun by one test is left for the next.
        EarlyConnect.take(null, List.of(attachDir), TIMEOUT);
        EarlyConnect.survey(List.of(attachDir), TIMEOUT);
    }

    @Test
    void aCommandNamingItsTargetByPidGetsThatTargetConnected() throws Exception {
        try (AttachServer server = AttachServer.start(new StuckFixture().registry(), "early-router")) {
            EarlyConnect.start(new String[] {"dump-stuck", "--older-than", "1s", "--pid", Long.toString(ME)},
                    List.of(attachDir));
            try (AttachedTarget t = EarlyConnect.take(ME, List.of(attachDir), TIMEOUT)) {
                assertThat(t).isNotNull();
                assertThat(t.info().name()).isEqualTo("early-router");
                assertThat(t.socket()).isEqualTo(server.socket());
            }
            // Taken once: a second command in the same JVM attaches itself.
            assertThat(EarlyConnect.take(ME, List.of(attachDir), TIMEOUT)).isNull();
        }
    }

    @Test
    void theFormWithAnEqualsSignAndNoTargetAtAllCountToo() throws Exception {
        try (AttachServer server = AttachServer.start(new StuckFixture().registry(), "only-router")) {
            EarlyConnect.start(new String[] {"loops", "--pid=" + ME}, List.of(attachDir));
            try (AttachedTarget t = EarlyConnect.take(ME, List.of(attachDir), TIMEOUT)) {
                assertThat(t.info().name()).isEqualTo("only-router");
            }
            EarlyConnect.start(new String[] {"task", "7"}, List.of(attachDir));
            try (AttachedTarget t = EarlyConnect.take(null, List.of(attachDir), TIMEOUT)) {
                assertThat(t.socket()).isEqualTo(server.socket());
            }
        }
    }

    @Test
    void anotherTargetDirectoryOrTimeoutIsNotGivenTheEarlyConnection() throws Exception {
        try (AttachServer ignored = AttachServer.start(new StuckFixture().registry(), "early-router")) {
            String[] args = {"dump-stuck", "--pid", Long.toString(ME)};
            EarlyConnect.start(args, List.of(attachDir));
            assertThat(EarlyConnect.take(ME + 1, List.of(attachDir), TIMEOUT)).isNull();
            assertThat(EarlyConnect.take(ME, List.of(attachDir.resolve("other")), TIMEOUT)).isNull();
            assertThat(EarlyConnect.take(ME, List.of(attachDir), Duration.ofSeconds(6))).isNull();
            try (AttachedTarget t = EarlyConnect.take(ME, List.of(attachDir), TIMEOUT)) {
                assertThat(t).isNotNull();
            }
        }
    }

    @Test
    void commandLinesThatAreNotPlainAreLeftToTheCommand() throws Exception {
        try (AttachServer ignored = AttachServer.start(new StuckFixture().registry(), "early-router")) {
            String pid = Long.toString(ME);
            List<String[]> notPlain = List.of(
                    new String[] {"list", "--timeout", "1s"},
                    new String[] {"list", "extra"},
                    new String[] {"attach", pid},
                    new String[] {"dump-stuck", "--pid", pid, "--timeout", "1s"},
                    new String[] {"dump-stuck", "--socket", attachDir.resolve(pid + ".sock").toString()},
                    new String[] {"dump-stuck", "--name", "early-router"},
                    new String[] {"dump-stuck", "--pid", pid, "--pid", pid},
                    new String[] {"dump-stuck", "--pid", "-3"},
                    new String[] {"dump-stuck", "--pid", "abc"},
                    new String[] {"dump-stuck", "--pid", pid, "--help"});
            for (String[] args : notPlain) {
                EarlyConnect.start(args, List.of(attachDir));
                assertThat(EarlyConnect.take(ME, List.of(attachDir), TIMEOUT)).as(String.join(" ", args)).isNull();
                assertThat(EarlyConnect.take(null, List.of(attachDir), TIMEOUT)).as(String.join(" ", args)).isNull();
                assertThat(EarlyConnect.survey(List.of(attachDir), TIMEOUT)).as(String.join(" ", args)).isNull();
            }
        }
    }

    @Test
    void listBeginsItsSurveyAndOnlyListTakesIt() throws Exception {
        try (AttachServer server = AttachServer.start(new StuckFixture().registry(), "surveyed-router")) {
            EarlyConnect.start(new String[] {"list", "--json"}, List.of(attachDir));
            assertThat(EarlyConnect.take(null, List.of(attachDir), TIMEOUT)).isNull();
            assertThat(EarlyConnect.survey(List.of(attachDir), Duration.ofSeconds(6))).isNull();
            List<TargetStatus> surveyed = EarlyConnect.survey(List.of(attachDir), TIMEOUT);
            assertThat(surveyed).extracting(TargetStatus::socket).containsExactly(server.socket());
            assertThat(surveyed.get(0).state()).isEqualTo(TargetStatus.State.ANSWERING);
            assertThat(surveyed.get(0).info().name()).isEqualTo("surveyed-router");
            assertThat(EarlyConnect.survey(List.of(attachDir), TIMEOUT)).isNull();
        }
    }

    @Test
    void aFailedAttachIsTheCommandsToReportWordForWord() {
        long gone = 999_999_999L;
        EarlyConnect.start(new String[] {"dump-stuck", "--pid", Long.toString(gone)}, List.of(attachDir));
        assertThatThrownBy(() -> EarlyConnect.take(gone, List.of(attachDir), TIMEOUT))
                .isInstanceOf(CommandException.class)
                .satisfies(e -> assertThat(((CommandException) e).exitCode()).isEqualTo(ExitCode.CANNOT_ATTACH))
                .hasMessage(messageOf(() -> new TargetSelector(List.of(attachDir), TIMEOUT).attach(gone, null)));
    }

    private static String messageOf(Runnable r) {
        try {
            r.run();
        } catch (CommandException e) {
            return e.getMessage();
        }
        throw new AssertionError("no failure");
    }
}
