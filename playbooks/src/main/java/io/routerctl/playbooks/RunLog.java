package io.routerctl.playbooks;


import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a run did, in order, as the report tells it. Written by the runner as it goes, read by
 * {@link ReportWriter} at the end (also when the run stopped early).
 *
 * <h2>Thread safety</h2>
 * Not thread safe: one run, one thread.
 */
public final class RunLog {

    /**
     * One thing that ran.
     *
     * @param at        when it started
     * @param line      its source line; 0 for what the runner did on its own (an implicit dump-stuck)
     * @param statement the statement as run
     * @param result    what came of it, e.g. {@code exit 0, 01-dump-stuck.json}
     */
    public record Entry(Instant at, int line, String statement, String result) {
    }

    /**
     * The stuck groups of one dump-stuck output, as its {@code summary.groups[].text} states them.
     *
     * @param at      when the command ran
     * @param command the command line
     * @param file    its bundle file
     * @param stuck   {@code summary.stuck}, or -1 if absent
     * @param inFlight {@code summary.in_flight}, or -1 if absent
     * @param groups  the group sentences, largest group first
     */
    public record Groups(Instant at, String command, String file, long stuck, long inFlight, List<String> groups) {
    }

    /**
     * One diff output: how many tasks were persistent, new and resolved, and the persistent groups
     * as the diff states them ({@code summary.groups[].text}), or its text output if it has none.
     *
     * @param at         when the command ran
     * @param command    the command line
     * @param file       its bundle file
     * @param persistent tasks stuck in both snapshots
     * @param fresh      tasks stuck only in the second
     * @param resolved   tasks stuck in the first only
     * @param groups     the persistent groups' sentences; empty if the output has none
     * @param text       the command's text output
     */
    public record Diff(Instant at, String command, String file, int persistent, int fresh, int resolved,
                       List<String> groups, String text) {
    }

    public final List<Entry> entries = new ArrayList<>();
    public final List<Diff> diffs = new ArrayList<>();
    public final List<ExpectationResult> expectations = new ArrayList<>();
    public final List<Groups> groups = new ArrayList<>();
    public Instant started;
    public Instant finished;
    public String target;
}
