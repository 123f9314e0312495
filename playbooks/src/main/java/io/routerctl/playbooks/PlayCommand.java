package io.routerctl.playbooks;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code routerctl play FILE [--var k=v]... [--out DIR] [--dry-run]} as a library call: finds the
 * playbook (a file, else a stock playbook by name), parses all of it, then prints the plan or runs
 * it, and returns the exit code. The console maps its options onto a {@link Request} and prints
 * nothing of its own.
 *
 * <pre>{@code
 * int exit = new PlayCommand(executor, PlaybookClock.system(), out, err, Path.of(""))
 *         .run(new PlayCommand.Request("hung-requests", Map.of("interval", "2s"), null, false));
 * }</pre>
 *
 * <h2>Exit codes</h2>
 * 0 every expectation held, 1 one failed, 2 playbook error (not found, parse error, unknown
 * variable, missing detector), 3 target unreachable.
 *
 * <h2>Thread safety</h2>
 * One run at a time.
 */
public final class PlayCommand {

    private static final DateTimeFormatter BUNDLE_NAME =
            DateTimeFormatter.ofPattern("'incident-'yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /**
     * One invocation.
     *
     * @param playbook a file path, or the name of a stock playbook
     * @param vars     the {@code --var} values
     * @param out      the bundle directory, or {@code null} for {@code incident-<yyyyMMdd-HHmmss>} (UTC) in
     *                 the working directory
     * @param dryRun   print the expanded plan; send nothing
     */
    public record Request(String playbook, Map<String, String> vars, Path out, boolean dryRun, boolean json) {
        public Request {
            vars = vars == null ? Map.of() : Map.copyOf(vars);
        }

        /** A request for the text output. */
        public Request(String playbook, Map<String, String> vars, Path out, boolean dryRun) {
            this(playbook, vars, out, dryRun, false);
        }
    }

    private final CommandExecutor executor;
    private final PlaybookClock clock;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Path workingDir;

    /**
     * @param out        the run's narration and the dry-run plan
     * @param err        the one-line errors, {@code routerctl play: ...}
     * @param workingDir where relative playbook paths and the default bundle resolve
     */
    public PlayCommand(CommandExecutor executor, PlaybookClock clock, PrintWriter out, PrintWriter err, Path workingDir) {
        this.executor = executor;
        this.clock = clock;
        this.out = out;
        this.err = err;
        this.workingDir = workingDir;
    }

    /**
     * Parses {@code k=v} words (the values of repeated {@code --var} options).
     *
     * @throws IllegalArgumentException naming the first malformed one
     */
    public static Map<String, String> parseVars(List<String> words) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            String name = eq < 0 ? "" : w.substring(0, eq);
            if (eq < 0 || !io.routerctl.playbooks.LineTokenizer.isVariableName(name)) {
                throw new IllegalArgumentException("--var expects NAME=VALUE, got '" + w + "'");
            }
            vars.put(name, w.substring(eq + 1));
        }
        return vars;
    }

    /** Runs the request; returns the exit code. */
    public int run(Request request) {
        if (request.vars().containsKey(Playbook.BUNDLE_VAR)) {
            return usage("--var " + Playbook.BUNDLE_VAR + " is set by routerctl (the bundle directory); use --out DIR");
        }
        String name;
        String source;
        Path file = workingDir.resolve(request.playbook());
        if (Files.isRegularFile(file)) {
            name = request.playbook();
            try {
                source = Files.readString(file, StandardCharsets.UTF_8);
            } catch (MalformedInputException e) {
                return usage(request.playbook() + " is not UTF-8 text");
            } catch (IOException e) {
                return usage("cannot read " + request.playbook() + ": " + e.getMessage());
            }
        } else {
            Optional<String> stock = StockPlaybooks.text(request.playbook());
            if (stock.isEmpty()) {
                return usage("no playbook '" + request.playbook() + "': not a file, and not a stock playbook ("
                        + String.join(", ", StockPlaybooks.NAMES) + ")");
            }
            name = request.playbook().endsWith(".playbook") ? request.playbook() : request.playbook() + ".playbook";
            source = stock.get();
        }
        Path bundle = request.out() != null ? workingDir.resolve(request.out()) : defaultBundle();
        Playbook playbook;
        try {
            playbook = Playbook.parse(name, source, Map.of(Playbook.BUNDLE_VAR, bundle.toString()), request.vars(), executor);
        } catch (PlaybookParseException e) {
            return usage(e.getMessage());
        }
        // With --json, stdout holds the one document; the running commentary goes to stderr.
        java.io.StringWriter plan = new java.io.StringWriter();
        PrintWriter progress = !request.json() ? out : request.dryRun() ? new PrintWriter(plan) : err;
        PlaybookRunner runner = new PlaybookRunner(executor, clock, progress);
        if (request.dryRun()) {
            runner.printPlan(playbook);
            if (request.json()) {
                printJson(PlayDocument.plan(name, plan.toString().lines().toList()));
            }
            return PlayOutcome.HELD.exitCode();
        }
        RunResult result = runner.run(playbook, bundle);
        if (result.message() != null) {
            err.println("routerctl play: " + result.message());
            err.flush();
        }
        if (request.json() && result.outcome() != PlayOutcome.PLAYBOOK_ERROR) {
            printJson(PlayDocument.of(name, result));
        }
        return result.exitCode();
    }

    private void printJson(PlayDocument document) {
        try {
            out.print(JsonDocuments.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the play document", e);
        }
        out.flush();
    }

    private Path defaultBundle() {
        String base = BUNDLE_NAME.format(clock.now());
        Path p = workingDir.resolve(base);
        for (int n = 2; Files.exists(p); n++) {
            p = workingDir.resolve(base + "-" + n);
        }
        return p;
    }

    private int usage(String message) {
        err.println("routerctl play: " + message);
        err.flush();
        return PlayOutcome.PLAYBOOK_ERROR.exitCode();
    }
}
