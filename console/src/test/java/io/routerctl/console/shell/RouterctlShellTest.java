package io.routerctl.console.shell;

import io.routerctl.console.context.ConsoleContext;
import io.routerctl.console.attach.TargetSelector;
import io.routerctl.console.testing.InProcessTarget;
import io.routerctl.console.testing.StuckFixture;
import io.routerctl.probes.testing.Poll;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shell on a headless terminal over piped streams, attached to an in-process target whose
 * registry holds two requests stuck on auth: keys are written to its input, and its screen is read
 * from its output until what a user would see appears.
 */
class RouterctlShellTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path attachDir;
    @TempDir
    Path home;

    private InProcessTarget target;
    private long stuckId;
    private long otherId;

    @BeforeEach
    void start() throws IOException {
        StuckFixture fixture = new StuckFixture();
        long a = fixture.requestWaitingOnAuth(40001);
        long b = fixture.requestWaitingOnAuth(40002);
        fixture.advance(Duration.ofSeconds(12));
        stuckId = fixture.id(a);
        otherId = fixture.id(b);
        target = new InProcessTarget(attachDir, fixture.registry());
    }

    @AfterEach
    void stop() {
        target.close();
    }

    /** One shell session: its keyboard, its screen, and the thread running it. */
    private final class Session implements AutoCloseable {
        final PipedOutputStream keys = new PipedOutputStream();
        final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        final Terminal terminal;
        final CompletableFuture<Integer> exit;

        Session() throws IOException {
            PipedInputStream in = new PipedInputStream(keys, 64 * 1024);
            OutputStream out = new OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (screen) {
                        screen.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (screen) {
                        screen.write(b, off, len);
                    }
                }
            };
            terminal = TerminalBuilder.builder().system(false).streams(in, out).type("xterm")
                    .size(new org.jline.terminal.Size(160, 50)).build();
            RouterctlShell shell = new RouterctlShell(ConsoleContext.withAttachDir(attachDir).withRunner(io.routerctl.console.Routerctl.RUNNER), terminal,
                    home.resolve(".routerctl_history"), Duration.ofSeconds(20));
            shell.attached(new TargetSelector(java.util.List.of(attachDir), Duration.ofSeconds(20)).attach(null, target.socket()));
            exit = CompletableFuture.supplyAsync(shell::run);
        }

        void type(String text) throws IOException {
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        String screen() {
            synchronized (screen) {
                return screen.toString(StandardCharsets.UTF_8);
            }
        }

        void waitFor(String what) {
            Poll.until(DEADLINE, "the screen shows " + what, () -> screen().contains(what));
        }

        /** Waits until the prompt has been shown {@code n} times (a command ran and the prompt came back). */
        void waitForPrompts(int n) {
            Poll.until(DEADLINE, n + " prompts", () -> screen().split("\\]> ", -1).length - 1 >= n);
        }

        /** Ctrl-D on an empty line. */
        int quit() throws Exception {
            type("\u0004");
            try {
                return exit.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the shell did not end on Ctrl-D; screen:\n" + screen(), e);
            }
        }

        @Override
        public void close() throws IOException {
            keys.close();
            terminal.close();
        }
    }

    @Test
    void typedCommandRunsAgainstTheAttachedTargetAndPrints() throws Exception {
        try (Session s = new Session()) {
            s.waitFor("routerctl[test-router " + ProcessHandle.current().pid() + "]> ");
            s.type("dump-stuck --older-than 5s\r");
            s.waitFor("2 requests waiting on auth (" + StuckFixture.AUTH.location() + ") after auth-requested; oldest wait 12s");
            s.waitForPrompts(2);
            assertThat(s.quit()).isZero();
        }
    }

    @Test
    void tabCompletesTaskIdsFetchedFromTheTarget() throws Exception {
        try (Session s = new Session()) {
            s.waitFor("]> ");
            s.type("task \t");
            s.waitFor(Long.toString(stuckId));
            s.waitFor(Long.toString(otherId));
            s.waitFor("stuck tasks");
            assertThat(s.screen()).contains("waiting on auth");
            s.type("\u0015");  // Ctrl-U: clear the line, so Ctrl-D quits
            assertThat(s.quit()).isZero();
        }
    }

    @Test
    void tabCompletesCommandNamesAndOptions() throws Exception {
        try (Session s = new Session()) {
            s.waitFor("]> ");
            s.type("dump-st\t");
            s.waitFor("dump-stuck ");
            s.type("--older\t");
            s.waitFor("--older-than ");
            s.type("\u0015");  // Ctrl-U: clear the line, so Ctrl-D quits
            assertThat(s.quit()).isZero();
        }
    }

    @Test
    void anErrorPrintsOneLineAndTheShellGoesOn() throws Exception {
        try (Session s = new Session()) {
            s.waitFor("]> ");
            s.type("dum-stuck\r");
            s.waitFor("routerctl: unknown command 'dum-stuck'");
            s.type("task 'unterminated\r");
            s.waitFor("routerctl: ");
            s.type("loops\r");
            s.waitFor("REGISTERED");
            s.waitForPrompts(4);
            assertThat(s.exit).isNotDone();
            assertThat(s.quit()).isZero();
        }
    }

    @Test
    void historyPersistsAcrossSessions() throws Exception {
        try (Session first = new Session()) {
            first.waitFor("]> ");
            first.type("loops --older-than 1s\r");
            first.waitFor("REGISTERED");
            first.waitForPrompts(2);
            assertThat(first.quit()).isZero();
        }
        assertThat(Files.readString(home.resolve(".routerctl_history"))).contains("loops --older-than 1s");
        try (Session second = new Session()) {
            second.waitFor("]> ");
            second.type("\u0010\r");  // Ctrl-P: the previous line, from the first session
            second.waitFor("stuck = no progress for 1s");
            second.waitForPrompts(2);
            assertThat(second.quit()).isZero();
        }
    }

    @Test
    void ctrlCCancelsTheRunningCommandAndThePromptComesBack() throws Exception {
        Path playbook = home.resolve("slow.playbook");
        Files.writeString(playbook, "echo about to wait\nsleep 10m\n");
        try (Session s = new Session()) {
            s.waitFor("]> ");
            s.type("play " + playbook + " --out " + home.resolve("bundle") + "\r");
            s.waitFor("about to wait");
            // Ctrl-C on a tty is SIGINT, which the system terminal turns into this call; a piped
            // terminal has no tty, so the test raises it the same way.
            s.terminal.raise(Terminal.Signal.INT);
            s.waitFor("routerctl play: cancelled");
            s.waitForPrompts(2);
            s.type("loops\r");
            s.waitFor("REGISTERED");
            s.waitForPrompts(3);
            assertThat(s.quit()).isZero();
        }
    }

    @Test
    void detachThenThePromptSaysSoAndCtrlDQuits() throws Exception {
        try (Session s = new Session()) {
            s.waitFor("]> ");
            s.type("detach\r");
            s.waitFor("routerctl[detached]> ");
            assertThat(s.quit()).isZero();
        }
    }
}
