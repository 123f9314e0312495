package io.routerctl.playbooks;


import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders {@code report.md}: what ran, when, against which target, each expectation's outcome with
 * the value seen, and the stuck groups as dump-stuck stated them. Times are UTC.
 *
 * <h2>Thread safety</h2>
 * Stateless.
 */
public final class ReportWriter {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private ReportWriter() {
    }

    /** The report's Markdown. Never {@code null}. */
    public static String render(String playbook, Map<String, String> vars, RunLog log, PlayOutcome outcome,
                                String message) {
        StringBuilder b = new StringBuilder();
        b.append("# Incident report: ").append(playbook).append("\n\n");
        b.append("| | |\n|---|---|\n");
        row(b, "Playbook", "`" + playbook + "`");
        row(b, "Target", log.target == null ? "not reached" : log.target);
        row(b, "Started", log.started == null ? "-" : log.started.toString());
        if (log.started != null && log.finished != null) {
            row(b, "Finished", log.finished + " (took " + seconds(Duration.between(log.started, log.finished)) + ")");
        }
        row(b, "Outcome", "**" + headline(outcome, log) + "** (exit " + outcome.exitCode() + ")");
        Map<String, String> shown = new TreeMap<>(vars);
        if (!shown.isEmpty()) {
            StringBuilder v = new StringBuilder();
            shown.forEach((k, val) -> v.append(v.length() == 0 ? "" : ", ").append('`').append(k).append('=')
                    .append(val).append('`'));
            row(b, "Variables", v.toString());
        }
        b.append('\n');
        if (message != null) {
            b.append("## Stopped\n\n").append(message).append("\n\n");
        }

        b.append("## Expectations\n\n");
        if (log.expectations.isEmpty()) {
            b.append("None were checked.\n\n");
        } else {
            b.append("| Line | Expectation | Outcome | Actual | At | Evaluated on |\n|---|---|---|---|---|---|\n");
            for (ExpectationResult e : log.expectations) {
                b.append("| ").append(e.line()).append(" | `").append(cell(e.statement())).append("` | ")
                        .append(e.held() ? "held" : "**FAILED**").append(" | ").append(cell(e.actual()))
                        .append(e.note() == null ? "" : " (" + cell(e.note()) + ")").append(" | ")
                        .append(TIME.format(e.at())).append(" | ")
                        .append(e.document() == null ? "-" : "`" + e.document() + "`").append(" |\n");
            }
            b.append('\n');
        }

        b.append("## Stuck groups\n\n");
        if (log.groups.isEmpty()) {
            b.append("No dump-stuck ran.\n\n");
        } else {
            RunLog.Groups last = log.groups.get(log.groups.size() - 1);
            b.append("As the last dump-stuck stated them (`").append(cell(last.command())).append("` at ")
                    .append(TIME.format(last.at())).append(", `").append(last.file()).append("`): ")
                    .append(last.stuck() < 0 ? "?" : Long.toString(last.stuck())).append(" stuck of ")
                    .append(last.inFlight() < 0 ? "?" : Long.toString(last.inFlight())).append(" in flight.\n\n");
            if (last.groups().isEmpty()) {
                b.append("Nothing stuck.\n\n");
            } else {
                for (String g : last.groups()) {
                    b.append("- ").append(g).append('\n');
                }
                b.append('\n');
            }
            if (log.groups.size() > 1) {
                b.append("Earlier dump-stuck runs:\n\n");
                for (RunLog.Groups g : log.groups.subList(0, log.groups.size() - 1)) {
                    b.append("- ").append(TIME.format(g.at())).append(" `").append(g.file()).append("`: ")
                            .append(g.stuck() < 0 ? "?" : Long.toString(g.stuck())).append(" stuck")
                            .append(g.groups().isEmpty() ? "" : "; " + String.join("; ", g.groups())).append('\n');
                }
                b.append('\n');
            }
        }

        for (RunLog.Diff d : log.diffs) {
            b.append("## Persistent across snapshots\n\n");
            b.append("`").append(cell(d.command())).append("` at ").append(TIME.format(d.at())).append(", `")
                    .append(d.file()).append("`: ").append(d.persistent()).append(" persistent (stuck in both: the real hangs), ")
                    .append(d.fresh()).append(" new, ").append(d.resolved()).append(" resolved (slow, not stuck).\n\n");
            if (!d.groups().isEmpty()) {
                for (String g : d.groups()) {
                    b.append("- ").append(g).append('\n');
                }
                b.append('\n');
            } else if (!d.text().isBlank()) {
                b.append("```\n").append(d.text().replace("```", "'''"));
                b.append(d.text().endsWith("\n") ? "" : "\n").append("```\n\n");
            }
        }

        b.append("## What ran\n\n");
        if (log.entries.isEmpty()) {
            b.append("Nothing.\n");
        } else {
            b.append("| # | At | Line | Statement | Result |\n|---|---|---|---|---|\n");
            int n = 0;
            for (RunLog.Entry e : log.entries) {
                b.append("| ").append(++n).append(" | ").append(TIME.format(e.at())).append(" | ")
                        .append(e.line() == 0 ? "-" : Integer.toString(e.line())).append(" | `")
                        .append(cell(e.statement())).append("` | ").append(cell(e.result())).append(" |\n");
            }
        }
        return b.toString();
    }

    private static String headline(PlayOutcome outcome, RunLog log) {
        long failed = log.expectations.stream().filter(e -> !e.held()).count();
        return switch (outcome) {
            case HELD -> log.expectations.isEmpty() ? "completed" : "every expectation held ("
                    + log.expectations.size() + ")";
            case FAILED -> failed == 0 ? "a command's check found a problem"
                    : failed + " of " + log.expectations.size() + " expectations failed";
            case PLAYBOOK_ERROR -> "playbook error";
            case UNREACHABLE -> "target unreachable";
        };
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v.replace("\n", " ")).append(" |\n");
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }

    /** For tests and callers that show times like the report. */
    public static String time(Instant at) {
        return TIME.format(at);
    }
}
