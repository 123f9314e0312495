package io.routerctl.playbooks;

import io.routerctl.probes.Durations;
import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.playbooks.query.DocumentKind;
import io.routerctl.playbooks.query.Expectation;
import io.routerctl.playbooks.query.QueryException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a parsed {@link Playbook} against a {@link CommandExecutor}, statement by statement, and
 * writes the incident bundle as it goes.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Before the first statement, every {@code require detector} is checked against
 *       {@link CommandExecutor#detectors()}; a missing detector ends the run with exit 2 and a
 *       sentence saying which, and nothing else runs.</li>
 *   <li>A command runs through the executor; its text is printed, its text and JSON are written to
 *       the bundle as {@code NN-name.txt/.json}. Its exit code 1 (its own check found a problem)
 *       makes the outcome FAILED and the run goes on; 2 stops the run as a playbook error; 3 (or
 *       {@link TargetUnreachableException}) stops it as unreachable.</li>
 *   <li>{@code expect} reads the latest output of the command its query reads (dump-stuck, diff or
 *       loops). If no dump-stuck has run yet, a plain {@code dump-stuck} runs first (shown in the
 *       report). A failed expectation makes the outcome FAILED; the run goes on, so the bundle is
 *       complete.</li>
 *   <li>{@code wait-until} re-runs that command (the latest command line of its kind, or a plain
 *       {@code dump-stuck}) every {@code --every} until the expectation holds or {@code --timeout}
 *       has passed; on timeout it fails with the value it last saw.</li>
 *   <li>{@code repeat N every D} starts its body every D (start to start; no pause after the last).</li>
 *   <li>{@code save NAME} writes the last command's JSON as {@code NAME.json} ({@code NAME-2.json} if
 *       taken, e.g. inside a repeat).</li>
 * </ul>
 * The report is written when the run ends, however it ends.
 *
 * <h2>Thread safety</h2>
 * One run at a time per runner; it runs on the caller's thread and honours interrupts (the run
 * stops as a playbook error, the bundle is kept).
 */
public final class PlaybookRunner {

    /** The report's file name in the bundle. */
    public static final String REPORT = "report.md";

    private final CommandExecutor executor;
    private final PlaybookClock clock;
    private final PrintWriter out;

    /**
     * @param executor runs the commands
     * @param clock    time and sleeping
     * @param out      where the run is narrated (command outputs, expectation outcomes)
     */
    public PlaybookRunner(CommandExecutor executor, PlaybookClock clock, PrintWriter out) {
        this.executor = executor;
        this.clock = clock;
        this.out = out;
    }

    /** Prints the expanded plan ({@code --dry-run}): every statement as it would run, nothing sent. */
    public void printPlan(Playbook playbook) {
        out.println("# " + playbook.name() + ": dry run, nothing is sent to the target");
        Map<String, String> vars = new TreeMap<>(playbook.vars());
        vars.forEach((k, v) -> out.println("# var " + k + "=" + v));
        List<Statement.Require> requires = playbook.requirements();
        if (!requires.isEmpty()) {
            out.println("# when run, first checks that the target runs the detectors: "
                    + String.join(", ", requires.stream().map(Statement.Require::detector).toList()));
        }
        plan(playbook.statements(), "");
        out.flush();
    }

    private void plan(List<Statement> statements, String indent) {
        for (Statement s : statements) {
            out.printf("%4d  %s%s%n", s.line(), indent, s.render());
            if (s instanceof Statement.Repeat r) {
                plan(r.body(), indent + "  ");
                out.printf("%4s  %send%n", "", indent);
            }
        }
    }

    /** Runs {@code playbook}, writing the bundle into {@code bundleDir} (created if needed). Never {@code null}. */
    public RunResult run(Playbook playbook, Path bundleDir) {
        Run run = new Run(playbook);
        PlayOutcome outcome;
        String message = null;
        try {
            run.bundle = new BundleWriter(bundleDir);
            run.bundle.write(fileName(playbook.name()), playbook.source());
        } catch (IOException e) {
            String m = "cannot write the incident bundle in " + bundleDir + ": " + e.getMessage();
            out.println(m);
            out.flush();
            return new RunResult(PlayOutcome.PLAYBOOK_ERROR, List.of(), null, m);
        }
        run.log.started = clock.now();
        try {
            run.log.target = executor.describeTarget();
            out.println("# " + playbook.name() + " against " + run.log.target);
            run.requirements();
            run.statements(playbook.statements());
            outcome = run.failed ? PlayOutcome.FAILED : PlayOutcome.HELD;
        } catch (Stop s) {
            outcome = s.outcome;
            message = s.getMessage();
        } catch (TargetUnreachableException e) {
            outcome = PlayOutcome.UNREACHABLE;
            message = "the target cannot be reached: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = PlayOutcome.PLAYBOOK_ERROR;
            message = "interrupted; the bundle holds what ran until then";
        } catch (IOException e) {
            outcome = PlayOutcome.PLAYBOOK_ERROR;
            message = "cannot write the incident bundle: " + e.getMessage();
        } catch (RuntimeException e) {
            outcome = PlayOutcome.PLAYBOOK_ERROR;
            message = "internal error: " + e;
        }
        run.log.finished = clock.now();
        if (message != null) {
            out.println(playbook.name() + ": " + message);
        }
        Map<String, String> vars = new TreeMap<>(playbook.vars());
        vars.remove(Playbook.BUNDLE_VAR);
        try {
            run.bundle.write(REPORT, ReportWriter.render(playbook.name(), vars, run.log, outcome, message));
        } catch (IOException e) {
            out.println(playbook.name() + ": cannot write " + REPORT + ": " + e.getMessage());
            if (outcome == PlayOutcome.HELD || outcome == PlayOutcome.FAILED) {
                outcome = PlayOutcome.PLAYBOOK_ERROR;
                message = "cannot write " + REPORT + ": " + e.getMessage();
            }
        }
        long failed = run.log.expectations.stream().filter(e -> !e.held()).count();
        out.println("# " + playbook.name() + ": " + switch (outcome) {
            case HELD -> "every expectation held (" + run.log.expectations.size() + ")";
            case FAILED -> failed + " of " + run.log.expectations.size() + " expectations failed";
            case PLAYBOOK_ERROR -> "stopped by a playbook error";
            case UNREACHABLE -> "stopped: target unreachable";
        } + "; exit " + outcome.exitCode() + "; report: " + bundleDir.resolve(REPORT));
        out.flush();
        return new RunResult(outcome, run.log.expectations, bundleDir, message);
    }

    private static String fileName(String name) {
        String base = Path.of(name).getFileName() == null ? "playbook" : Path.of(name).getFileName().toString();
        return base.endsWith(".playbook") ? base : base + ".playbook";
    }

    /** Ends the run early with an outcome. */
    private static final class Stop extends Exception {
        final PlayOutcome outcome;

        Stop(PlayOutcome outcome, String message) {
            super(message, null, false, false);
            this.outcome = outcome;
        }
    }

    /** The latest output of one document kind, and the command line that printed it. */
    private record Latest(List<String> args, JsonNode json, String file) {
    }

    /** The state of one run. */
    private final class Run {
        final Playbook playbook;
        final RunLog log = new RunLog();
        final Map<DocumentKind, Latest> latest = new EnumMap<>(DocumentKind.class);
        BundleWriter bundle;
        JsonNode lastJson;
        String lastText;
        boolean failed;

        Run(Playbook playbook) {
            this.playbook = playbook;
        }

        void requirements() throws TargetUnreachableException, Stop {
            List<Statement.Require> requires = playbook.requirements();
            if (requires.isEmpty()) {
                return;
            }
            Set<String> has = executor.detectors();
            for (Statement.Require r : requires) {
                boolean ok = has.contains(r.detector());
                log.entries.add(new RunLog.Entry(clock.now(), r.line(), r.render(), ok ? "present" : "MISSING"));
                if (!ok) {
                    throw new Stop(PlayOutcome.PLAYBOOK_ERROR, "this playbook needs the '" + r.detector()
                            + "' detector (line " + r.line() + "), which the target does not run"
                            + (has.isEmpty() ? " (it runs no detectors)" : " (it runs: " + String.join(", ", has) + ")")
                            + "; nothing was checked, so nothing can be concluded");
                }
            }
        }

        void statements(List<Statement> statements)
                throws Stop, TargetUnreachableException, InterruptedException, IOException {
            for (Statement s : statements) {
                statement(s);
            }
        }

        void statement(Statement s) throws Stop, TargetUnreachableException, InterruptedException, IOException {
            if (s instanceof Statement.Command c) {
                command(c.line(), c.args());
            } else if (s instanceof Statement.Expect e) {
                expect(e);
            } else if (s instanceof Statement.WaitUntil w) {
                waitUntil(w);
            } else if (s instanceof Statement.Repeat r) {
                for (int i = 0; i < r.times(); i++) {
                    long start = clock.nanoTime();
                    log.entries.add(new RunLog.Entry(clock.now(), r.line(), r.render(),
                            "iteration " + (i + 1) + " of " + r.times()));
                    statements(r.body());
                    if (i + 1 < r.times()) {
                        long left = r.every().toNanos() - (clock.nanoTime() - start);
                        if (left > 0) {
                            clock.sleep(Duration.ofNanos(left));
                        }
                    }
                }
            } else if (s instanceof Statement.Save v) {
                String file = bundle.save(v.name(), lastJson, lastText == null ? "" : lastText);
                log.entries.add(new RunLog.Entry(clock.now(), v.line(), v.render(), "saved as " + file));
                out.println("saved " + file);
            } else if (s instanceof Statement.Echo e) {
                log.entries.add(new RunLog.Entry(clock.now(), e.line(), e.render(), e.text()));
                out.println(e.text());
            } else if (s instanceof Statement.Sleep z) {
                log.entries.add(new RunLog.Entry(clock.now(), z.line(), z.render(), "slept"));
                clock.sleep(z.duration());
            } else if (s instanceof Statement.Require) {
                // checked before the first statement
            }
            out.flush();
        }

        Latest command(int line, List<String> args)
                throws Stop, TargetUnreachableException, InterruptedException, IOException {
            Instant at = clock.now();
            String rendered = new Statement.Command(line, args).render();
            out.println("$ " + rendered);
            CommandResult r = executor.execute(args);
            String file = bundle.command(args.get(0), r.text(), r.json());
            out.print(r.text().endsWith("\n") || r.text().isEmpty() ? r.text() : r.text() + "\n");
            log.entries.add(new RunLog.Entry(at, line, rendered, "exit " + r.exitCode() + ", " + file
                    + (line == 0 ? " (run by the playbook to evaluate an expectation)" : "")));
            lastJson = r.json();
            lastText = r.text();
            switch (r.exitCode()) {
                case 0 -> {
                }
                case 1 -> failed = true;
                case 3 -> throw new Stop(PlayOutcome.UNREACHABLE, "the target cannot be reached: "
                        + (r.error() == null ? rendered + " exited 3" : r.error()));
                default -> throw new Stop(PlayOutcome.PLAYBOOK_ERROR, "line " + line + ": '" + rendered + "' failed (exit "
                        + r.exitCode() + ")" + (r.error() == null ? "" : ": " + r.error()));
            }
            DocumentKind kind = DocumentKind.ofCommand(args.get(0));
            Latest latestOutput = new Latest(args, r.json(), file);
            if (kind != null) {
                latest.put(kind, latestOutput);
            }
            if (kind == DocumentKind.DUMP_STUCK && r.json() != null) {
                JsonNode summary = r.json().path("summary");
                List<String> sentences = new ArrayList<>();
                for (JsonNode g : summary.path("groups")) {
                    sentences.add(g.path("text").asText(g.toString()));
                }
                log.groups.add(new RunLog.Groups(at, rendered, file, summary.path("stuck").asLong(-1),
                        summary.path("in_flight").asLong(-1), sentences));
            }
            if (kind == DocumentKind.DIFF && r.json() != null) {
                List<String> sentences = new ArrayList<>();
                for (JsonNode g : r.json().path("summary").path("groups")) {
                    sentences.add(g.path("text").asText(g.toString()));
                }
                log.diffs.add(new RunLog.Diff(at, rendered, file, r.json().path("persistent").size(),
                        r.json().path("new").size(), r.json().path("resolved").size(), sentences, r.text()));
            }
            return latestOutput;
        }

        void expect(Statement.Expect e) throws Stop, TargetUnreachableException, InterruptedException, IOException {
            DocumentKind kind = e.expectation().query().document();
            Latest doc = latest.get(kind);
            if (doc == null) {
                doc = command(0, List.of(kind.command()));
            }
            Instant at = clock.now();
            Expectation.Outcome o = check(e.line(), e.expectation(), doc);
            record(e.line(), e.render(), o, null, at, doc.file());
        }

        void waitUntil(Statement.WaitUntil w) throws Stop, TargetUnreachableException, InterruptedException, IOException {
            DocumentKind kind = w.expectation().query().document();
            long deadline = clock.nanoTime() + w.timeout().toNanos();
            long started = clock.nanoTime();
            int polls = 0;
            while (true) {
                Latest previous = latest.get(kind);
                List<String> args = previous == null ? List.of(kind.command()) : previous.args();
                Latest doc = command(previous == null ? 0 : w.line(), args);
                polls++;
                Instant at = clock.now();
                Expectation.Outcome o = check(w.line(), w.expectation(), doc);
                long now = clock.nanoTime();
                if (o.held() || now - deadline >= 0) {
                    String how = (polls == 1 ? "1 poll" : polls + " polls") + " over "
                            + Durations.formatExact(Duration.ofMillis((now - started) / 1_000_000L));
                    record(w.line(), w.render(), o, o.held() ? how : "timed out after " + how, at, doc.file());
                    return;
                }
                long left = deadline - now;
                clock.sleep(Duration.ofNanos(Math.min(w.every().toNanos(), left)));
            }
        }

        Expectation.Outcome check(int line, Expectation e, Latest doc) throws Stop {
            if (doc.json() == null) {
                throw new Stop(PlayOutcome.PLAYBOOK_ERROR, "line " + line + ": '" + String.join(" ", doc.args())
                        + "' printed no JSON, so '" + e.query().text() + "' cannot be read");
            }
            try {
                return e.check(doc.json());
            } catch (QueryException ex) {
                throw new Stop(PlayOutcome.PLAYBOOK_ERROR, "line " + line + ": cannot evaluate '" + e.query().text()
                        + "': " + ex.getMessage());
            }
        }

        void record(int line, String statement, Expectation.Outcome o, String extra, Instant at, String file) {
            String note = o.note() == null ? extra : extra == null ? o.note() : extra + "; " + o.note();
            log.expectations.add(new ExpectationResult(line, statement, o.held(), o.actual(), note, at, file));
            log.entries.add(new RunLog.Entry(at, line, statement, (o.held() ? "held" : "FAILED") + ", actual " + o.actual()));
            if (!o.held()) {
                failed = true;
            }
            out.println((o.held() ? "held: " : "FAILED: ") + statement + " (actual " + o.actual() + ")"
                    + (note == null ? "" : " [" + note + "]"));
        }
    }
}
