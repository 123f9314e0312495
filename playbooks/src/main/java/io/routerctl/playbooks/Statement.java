package io.routerctl.playbooks;

import io.routerctl.probes.Durations;
import io.routerctl.playbooks.query.Expectation;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One statement of a parsed playbook, with variables already substituted. Each knows its 1-based
 * source line and how to print itself as written in the expanded plan ({@code --dry-run}).
 *
 * <h2>Thread safety</h2>
 * Immutable.
 */
public sealed interface Statement {

    /** The 1-based line it was written on. */
    int line();

    /** The statement as it will run, variables substituted, e.g. {@code dump-stuck --older-than 5s}. */
    String render();

    /** A routerctl command, exactly as typed in the shell: {@code args.get(0)} is its name. */
    record Command(int line, List<String> args) implements Statement {
        public Command {
            args = List.copyOf(args);
        }

        /** The command's name, e.g. {@code dump-stuck}. */
        public String name() {
            return args.get(0);
        }

        @Override
        public String render() {
            return args.stream().map(LineTokenizer::quote).collect(Collectors.joining(" "));
        }
    }

    /** {@code expect <query> <comparison> <value>}: records held or failed, and goes on. */
    record Expect(int line, Expectation expectation) implements Statement {
        @Override
        public String render() {
            return "expect " + expectation;
        }
    }

    /** {@code wait-until <expectation> --timeout D [--every D]}: polls until it holds or time runs out. */
    record WaitUntil(int line, Expectation expectation, Duration timeout, Duration every) implements Statement {
        @Override
        public String render() {
            return "wait-until " + expectation + " --timeout " + Durations.formatExact(timeout)
                    + " --every " + Durations.formatExact(every);
        }
    }

    /** {@code repeat N every D} ... {@code end}: the body N times, starting every D. */
    record Repeat(int line, int times, Duration every, List<Statement> body) implements Statement {
        public Repeat {
            body = List.copyOf(body);
        }

        @Override
        public String render() {
            return "repeat " + times + " every " + Durations.formatExact(every);
        }
    }

    /** {@code save NAME}: the last command's JSON output kept in the bundle as {@code NAME.json}. */
    record Save(int line, String name) implements Statement {
        @Override
        public String render() {
            return "save " + name;
        }
    }

    /** {@code echo TEXT}: a line for the reader of the output and of the report. */
    record Echo(int line, String text) implements Statement {
        @Override
        public String render() {
            return "echo " + text;
        }
    }

    /** {@code sleep D}: a pause that is part of the procedure (e.g. between snapshots). */
    record Sleep(int line, Duration duration) implements Statement {
        @Override
        public String render() {
            return "sleep " + Durations.formatExact(duration);
        }
    }

    /**
     * {@code require detector NAME}: the playbook needs a detector the target may not have. All
     * requirements are checked before the first statement runs; a missing one ends the run with
     * exit 2 and says so.
     */
    record Require(int line, String detector) implements Statement {
        @Override
        public String render() {
            return "require detector " + detector;
        }
    }
}
