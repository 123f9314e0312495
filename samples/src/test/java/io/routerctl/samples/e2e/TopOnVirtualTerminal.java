package io.routerctl.samples.e2e;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.routerctl.console.top.AttachTopConnector;
import io.routerctl.console.top.TopModel;
import io.routerctl.console.top.TopSession;
import io.routerctl.console.top.TopSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code routerctl top} on a 200x60 lanterna virtual terminal against a live target, read the way a
 * person reads it: the test waits on frames (the session calls back after each one reached the
 * terminal), types keys, and reads the screen's text.
 */
final class TopOnVirtualTerminal implements Consumer<TopModel> {

    private static final String SHELL_LINE = "user@host:~$ routerctl top";
    private static final long FRAME_DEADLINE_MS = 20_000;
    /** A stuck request's row: marker, id, kind, what (method and path), remote, loop, state, age, last step, since, waiting on, warn. */
    private static final Pattern STUCK_REQUEST_ROW = Pattern.compile(
            "^! +\\d+ +request +GET +/\\S+ +(\\S+) +\\S+ +waiting +\\S+ +auth-requested +\\S+ +auth +(\\S+,)?stuck\\b");

    private static final Pattern ROWS = Pattern.compile("rows 1-(\\d+) of \\d+");

    private final DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(200, 60));
    private String lastFrame = "";
    private long firstFrameNanos;

    @Override
    public synchronized void accept(TopModel model) {
        lastFrame = text(terminal);
        if (firstFrameNanos == 0) {
            firstFrameNanos = System.nanoTime();
        }
        notifyAll();
    }

    /**
     * Runs top against {@code socket} and checks what a person sees, knowing which client addresses
     * have got no response so far ({@code unanswered}, asked again on each frame): stuck request rows
     * with those addresses and last step auth-requested; Enter shows the selected one's step
     * timeline; q ends the session with the shell's screen and cursor back.
     */
    static void checkAgainst(Path socket, String routerAddress, Supplier<Set<String>> unanswered) throws Exception {
        new TopOnVirtualTerminal().check(socket, routerAddress, unanswered);
    }

    private void check(Path socket, String routerAddress, Supplier<Set<String>> unansweredNow) throws Exception {
        terminal.putString(SHELL_LINE);
        AttachTopConnector connector = AttachTopConnector.forSocket(socket, Duration.ofSeconds(15));
        TopSession session = new TopSession(terminal, connector,
                new TopSettings(Duration.ofMillis(250), 1_000, null, 200, 2_000), this);
        long started = System.nanoTime();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread ui = new Thread(() -> {
            try {
                exit.complete(session.run(connector.connect()));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "e2e-top-ui");
        ui.setDaemon(true);
        ui.start();
        try {
            String screen = await("stuck request rows", s -> !stuckRemotes(s).isEmpty());
            System.out.printf("top: first stuck rows %d ms after start%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            // The test's own view and top's agree on one frame (a late answer makes them differ for a while).
            screen = await("the header and warnings counting the unanswered requests", s -> {
                Set<String> unanswered = unansweredNow.get();
                return s.contains("stuck " + unanswered.size() + " ")
                        && s.contains(unanswered.size() + " waiting on auth after auth-requested")
                        && unanswered.containsAll(stuckRemotes(s));
            });

            terminal.addInput(new KeyStroke('s', false, false));
            screen = await("only the stuck requests", s -> s.contains(" of " + unansweredNow.get().size() + " ")
                    && !s.contains("updating...") && stuckRows(s).size() == shownRows(s)
                    && unansweredNow.get().containsAll(stuckRemotes(s)));
            assertThat(stuckRemotes(screen)).as("remote addresses of stuck rows").hasSize(shownRows(screen));
            List<String> rows = stuckRows(screen);
            String selected = remoteOf(rows.get(0));

            terminal.addInput(new KeyStroke(KeyType.Enter));
            screen = await("the first row's step timeline", s -> s.contains("remote   " + selected)
                    && s.contains("auth-requested") && s.contains("waiting on auth"));
            assertThat(screen).contains("local " + routerAddress);
            assertThat(screen).containsPattern("(?m)^ +[0-9.]+ms +request-read")
                    // Steps of one event share its time stamp and say so; others give their delta.
                    .containsPattern("(?m)^ +[0-9.]+ms +route-resolved +(\\+|same stamp)")
                    .containsPattern("(?m)^ +[0-9.]+ms +auth-requested +(\\+|same stamp)")
                    .doesNotContain("auth-completed");

            terminal.addInput(new KeyStroke(KeyType.Escape));
            await("the table again", s -> s.contains("LAST STEP"));
            terminal.addInput(new KeyStroke('q', false, false));
            assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
            List<String> after = lines(terminal);
            assertThat(after.get(0)).as("the shell's screen is back").isEqualTo(SHELL_LINE);
            assertThat(String.join("\n", after)).doesNotContain("LAST STEP");
            assertThat(terminal.isCursorVisible()).as("cursor visible again").isTrue();
        } finally {
            if (!exit.isDone()) {
                terminal.addInput(new KeyStroke('c', true, false));
                exit.get(15, TimeUnit.SECONDS);
            }
        }
    }

    private synchronized String await(String what, Predicate<String> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + FRAME_DEADLINE_MS;
        while (!condition.test(lastFrame)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("top never showed " + what + "; last frame:\n" + lastFrame);
            }
            wait(left);
        }
        return lastFrame;
    }

    /** K of the footer's "rows 1-K of N", or -1. */
    private static int shownRows(String screen) {
        Matcher m = ROWS.matcher(screen);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static List<String> stuckRows(String screen) {
        List<String> rows = new ArrayList<>();
        for (String line : screen.split("\n")) {
            if (STUCK_REQUEST_ROW.matcher(line).find()) {
                rows.add(line);
            }
        }
        return rows;
    }

    private static Set<String> stuckRemotes(String screen) {
        Set<String> remotes = new TreeSet<>();
        stuckRows(screen).forEach(r -> remotes.add(remoteOf(r)));
        return remotes;
    }

    private static String remoteOf(String row) {
        Matcher m = STUCK_REQUEST_ROW.matcher(row);
        if (!m.find()) {
            throw new IllegalArgumentException(row);
        }
        return m.group(1);
    }

    private static String text(DefaultVirtualTerminal terminal) {
        return String.join("\n", lines(terminal));
    }

    /** The visible text, one string per row, trailing blanks removed. */
    private static List<String> lines(DefaultVirtualTerminal terminal) {
        TerminalSize size = terminal.getTerminalSize();
        List<String> out = new ArrayList<>(size.getRows());
        for (int row = 0; row < size.getRows(); row++) {
            StringBuilder line = new StringBuilder();
            for (int col = 0; col < size.getColumns(); col++) {
                TextCharacter c = terminal.getCharacter(new TerminalPosition(col, row));
                line.append(c == null ? " " : c.getCharacterString());
            }
            out.add(line.toString().stripTrailing());
        }
        return out;
    }
}
