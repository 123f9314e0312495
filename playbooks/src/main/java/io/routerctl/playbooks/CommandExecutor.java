package io.routerctl.playbooks;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a playbook runs its commands through: the console implements it over its command set and
 * one attached target, tests implement it over an in-process registry. The playbook runner knows
 * nothing else about routerctl commands.
 *
 * <h2>How a command flows</h2>
 * The parser asks {@link #commands()} whether each command line's first word is a command, and
 * {@link #check(List)} whether its options are right, so that typos fail before anything runs.
 * When the playbook runs, each command line, variables substituted and split into words with
 * shell-like quoting, goes to {@link #execute(List)}, which runs it once for its text and once with
 * {@code --json} (or renders both from one answer) and returns both:
 *
 * <pre>{@code
 * CommandResult r = executor.execute(List.of("dump-stuck", "--older-than", "5s"));
 * r.exitCode();   // 0
 * r.text();       // the table and the group sentences, as the shell prints them
 * r.json();       // {"summary":{"in_flight":41,"stuck":12,"groups":[...]},"tasks":[...],...}
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * The runner calls every method from the one thread running the playbook; implementations need not
 * be thread safe.
 */
public interface CommandExecutor {

    /** The commands playbooks may use (read commands only). Never {@code null}. */
    CommandSet commands();

    /**
     * Checks a command line's options without running it.
     *
     * @param args the command line's words, {@code args.get(0)} being a name in {@link #commands()}
     * @return the first problem, or empty if the line would run; never {@code null}
     */
    default Optional<ArgumentProblem> check(List<String> args) {
        return Optional.empty();
    }

    /**
     * Runs one command against the target.
     *
     * @param args the command line's words, {@code args.get(0)} being a name in {@link #commands()}
     * @return what it printed and its exit code; never {@code null}. An exit code of 3 counts as
     *         the target being unreachable, like the exception.
     * @throws TargetUnreachableException when the target cannot be reached: the playbook exits 3
     * @throws InterruptedException       when the thread is interrupted (Ctrl-C in the shell)
     */
    CommandResult execute(List<String> args) throws TargetUnreachableException, InterruptedException;

    /**
     * Who the commands run against, for the report, e.g.
     * {@code pid 4242 (sample-router), socket /tmp/routerctl-me/4242.sock}. Never {@code null}.
     */
    String describeTarget() throws TargetUnreachableException;

    /**
     * The detectors the target runs, by the wire name of the warning each raises
     * ({@code lost-wakeup}, {@code blocked-loop}, {@code slow}); {@code require detector} statements
     * are checked against it. Never {@code null}; empty when the target runs none.
     */
    Set<String> detectors() throws TargetUnreachableException;
}
