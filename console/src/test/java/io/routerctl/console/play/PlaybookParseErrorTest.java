package io.routerctl.console.play;

import io.routerctl.playbooks.Playbook;
import io.routerctl.playbooks.PlaybookParseException;
import io.routerctl.console.play.testing.Harness;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every parse error, with the exact line and column it names and what it says was expected. */
@ExtendWith(Harness.Cleanup.class)
class PlaybookParseErrorTest {

    @TempDir
    Path dir;

    static Stream<Arguments> errors() {
        return Stream.of(
                // expect and its query language
                arguments("expect stuck.count", 1, 19,
                        "expected a comparison (==, !=, <, <=, >, >=) after 'stuck.count'"),
                arguments("  expect stuck.count 0", 1, 22,
                        "expected a comparison (==, !=, <, <=, >, >=) after 'stuck.count'"),
                arguments("expect stuck.count = 0", 1, 20,
                        "expected a comparison (==, !=, <, <=, >, >=) after 'stuck.count'; '=' alone is not one, write '=='"),
                arguments("expect", 1, 7, "expected a query such as stuck.count or in_flight"),
                arguments("expect stuck.count ==", 1, 22, "expected a value after 'stuck.count =='"),
                arguments("expect stuk.count == 0", 1, 8,
                        "unknown field 'stuk'; expected one of in_flight, refused, stuck, groups, persistent, new, resolved, loops"),
                arguments("expect stuck.cont == 0", 1, 14,
                        "unknown operation 'cont' on 'stuck' (a list of tasks); expected one of count, where(...), first, "
                                + "oldest_ms, max(field), min(field), sum(field)"),
                arguments("expect stuck.where(waiting=auth).count == 0", 1, 20,
                        "unknown field 'waiting' of a task in where(...); expected one of id, kind, parent, remote, local, "
                                + "loop, age_ms, state, last_step, last_step_ago_ms, waiting_on, waiting_ms, waiting_at, "
                                + "idle_ms, warnings"),
                arguments("expect stuck.where(waiting_on auth).count == 0", 1, 31,
                        "expected '=' or '!=' after 'waiting_on' in where(...)"),
                arguments("expect stuck.where(waiting_on=auth.count == 0", 1, 42,
                        "expected ',' or ')' after 'waiting_on=auth.count' in where(...)"),
                arguments("expect stuck.where(waiting_on=).count == 0", 1, 31,
                        "expected a value after 'waiting_on=' in where(...)"),
                arguments("expect stuck == 0", 1, 13,
                        "expected an operation after 'stuck' (a list of tasks is not a value), e.g. '.count'"),
                arguments("expect stuck.count < 5s", 1, 22,
                        "'stuck.count' is a count, not a time; compare it with a number, not '5s'"),
                arguments("expect stuck.oldest_ms < five", 1, 26,
                        "expected a number or a duration (5s, 500ms) to compare 'stuck.oldest_ms' with, got 'five'"),
                arguments("expect stuck.count > '5'", 1, 22,
                        "expected a number to compare 'stuck.count' with, got '5'"),
                arguments("expect groups.first.waiting_on < auth", 1, 32,
                        "'groups.first.waiting_on' is text; compare it with == or != only, not <"),
                arguments("expect in_flight.count == 0", 1, 17, "'in_flight' is a value; nothing can follow it"),
                arguments("expect stuck.count. == 0", 1, 20, "expected a field name after 'stuck.count.'"),
                arguments("expect stuck.count == 0 extra", 1, 25, "unexpected 'extra' after the expectation"),
                arguments("expect groups.first.txt == a", 1, 21,
                        "unknown field 'txt' of a group; expected one of kind, last_step, waiting_on, waiting_at, count, "
                                + "oldest_ms, text"),
                arguments("expect groups.first == a", 1, 20, "expected a field after 'groups.first', e.g. '.text'"),
                arguments("expect stuck.max(state) == 1", 1, 18,
                        "expected a number field of a task inside max(...); one of id, parent, age_ms, last_step_ago_ms, "
                                + "waiting_ms, idle_ms, got 'state'"),
                arguments("expect stuck.max(age_ms == 1", 1, 25, "expected ')' to close 'max('"),
                arguments("expect loops.oldest_ms == 1", 1, 14, "loops have no oldest_ms; try loops.max(stuck)"),
                arguments("expect persistent.count == 0", 1, 8,
                        "'persistent.count' reads the output of 'diff', but no 'diff' command runs before it"),
                arguments("expect loops.count == 2\nloops", 1, 8,
                        "'loops.count' reads the output of 'loops', but no 'loops' command runs before it"),
                // commands
                arguments("dump-stuck\n\ndum-stuck --older-than 5s", 3, 1,
                        "unknown command 'dum-stuck' (did you mean 'dump-stuck'?); expected a statement (default, echo, "
                                + "end, expect, repeat, require, save, sleep, wait-until) or a command (diff, dump-stuck, "
                                + "help, list, loops, snapshot, task)"),
                arguments("kill 42", 1, 1,
                        "unknown command 'kill'; expected a statement (default, echo, end, expect, repeat, require, save, "
                                + "sleep, wait-until) or a command (diff, dump-stuck, help, list, loops, snapshot, task)"),
                arguments("dump-stuck --older 5s", 1, 12,
                        "unknown option '--older'; did you mean --older-than?"),
                arguments("dump-stuck --older-than soon", 1, 25, "--older-than: expected a duration like 500ms, 5s, 1.5s, 1m or 1m30s, got 'soon'"),
                // words, quotes, variables
                arguments("echo \"unterminated", 1, 6, "unterminated double quote (\") opened here"),
                arguments("echo it's", 1, 8, "unterminated single quote (') opened here"),
                arguments("dump-stuck --older-than ${t", 1, 25, "expected '}' to close the variable reference '${'"),
                arguments("dump-stuck --older-than ${nope}", 1, 25,
                        "unknown variable 'nope': pass --var nope=VALUE or declare 'default nope=VALUE'"),
                arguments("echo x${1x}", 1, 7,
                        "expected a variable name (letters, digits, '_', '-', '.') inside '${...}', got '1x'"),
                arguments("echo a\\", 1, 7, "expected a character after '\\' at the end of the line"),
                // repeat / end
                arguments("repeat", 1, 7, "expected a number of times after 'repeat'"),
                arguments("repeat 0 every 1s\nend", 1, 8, "expected a number of times from 1 to 10000 after 'repeat', got '0'"),
                arguments("repeat 3 each 1s", 1, 10, "expected 'every DURATION' after 'repeat 3'"),
                arguments("repeat 3 every", 1, 15, "expected a duration such as 5s or 500ms after 'every'"),
                arguments("repeat 3 every 1s now", 1, 19, "unexpected 'now' after 'repeat 3 every 1s'"),
                arguments("loops\n  repeat 2\n  loops\n", 2, 3,
                        "'repeat' opened here is never closed: expected 'end' before the end of the file"),
                arguments("loops\nend", 2, 1, "'end' without a 'repeat' to close"),
                arguments("repeat 2\nloops\nend now", 3, 5, "unexpected 'now' after 'end'"),
                // save
                arguments("save first", 1, 1, "'save' keeps the last command's output, but no command runs before it"),
                arguments("loops\nsave", 2, 5, "expected a NAME after 'save' (the bundle keeps NAME.json)"),
                arguments("loops\nsave ../x", 2, 6,
                        "expected a NAME of letters, digits, '.', '_', '-' after 'save', got '../x'"),
                arguments("loops\nsave a b", 2, 8, "unexpected 'b' after 'save a'"),
                // sleep
                arguments("sleep", 1, 6, "expected a duration such as 5s or 500ms after 'sleep'"),
                arguments("sleep 5", 1, 7, "expected a duration like 500ms, 5s, 1.5s, 1m or 1m30s, got '5' (missing unit: did you mean 5s?) after 'sleep'"),
                arguments("sleep 25h", 1, 7, "a duration in a playbook is at most 24h, got '25h'"),
                arguments("sleep 1s 2s", 1, 10, "unexpected '2s' after 'sleep 1s'"),
                // require
                arguments("require", 1, 8, "expected 'detector NAME' after 'require'"),
                arguments("require detector", 1, 17,
                        "expected a detector name after 'require detector': one of lost-wakeup, blocked-loop, slow, orphaned"),
                arguments("require detector deadlock", 1, 18,
                        "unknown detector 'deadlock'; expected one of lost-wakeup, blocked-loop, slow, orphaned"),
                // wait-until
                arguments("wait-until stuck.count == 0", 1, 28, "expected --timeout DURATION: a wait-until always ends"),
                arguments("wait-until stuck.count == 0 --timeout", 1, 38,
                        "expected a duration such as 5s or 500ms after '--timeout'"),
                arguments("wait-until stuck.count == 0 --timeout 5s --every 0s", 1, 1, "--every must be more than 0s"),
                arguments("wait-until stuck.count == 0 --timout 5s", 1, 29,
                        "expected --timeout DURATION or --every DURATION after the expectation, got '--timout'"),
                arguments("wait-until stuck.count == 0 --timeout 5s --timeout 6s", 1, 42, "--timeout is given twice"),
                // default
                arguments("default", 1, 8, "expected one NAME=VALUE after 'default'"),
                arguments("default x", 1, 9,
                        "expected NAME=VALUE after 'default', with NAME made of letters, digits, '_', '-', '.'"),
                arguments("default x=1 y=2", 1, 13, "expected one NAME=VALUE after 'default'"),
                arguments("default x=1\ndefault x=2", 2, 9, "variable 'x' already has a default"),
                arguments("default bundle=here", 1, 9, "'bundle' is set by routerctl and cannot have a default"),
                arguments("default a=${b}", 1, 9, "a default value cannot use variables"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void errorNamesFileLineColumnAndWhatWasExpected(String source, int line, int column, String problem) {
        Harness h = new Harness(dir);
        assertThatThrownBy(() -> h.parse(source))
                .isInstanceOfSatisfying(PlaybookParseException.class, e -> {
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.line()).as("line").isEqualTo(line);
                    assertThat(e.column()).as("column").isEqualTo(column);
                    assertThat(e.getMessage()).isEqualTo("test.playbook:" + line + ":" + column + ": " + problem);
                });
        assertThat(h.executor.executed()).isEmpty();
    }

    @Test
    void messageReadsLikeACompilersWithThePlaybooksName() {
        Harness h = new Harness(dir);
        String source = "# hung requests\n\ndefault t=5s\ndump-stuck --older-than ${t}\nsleep ${t}\n\n   expect  stuck.count\n";
        assertThatThrownBy(() -> Playbook.parse("hung-requests.playbook", source, Map.of(), Map.of(), h.executor))
                .hasMessage("hung-requests.playbook:7:23: expected a comparison (==, !=, <, <=, >, >=) after 'stuck.count'");
    }

    @Test
    void errorInASubstitutedValuePointsAtTheReference() {
        Harness h = new Harness(dir);
        assertThatThrownBy(() -> h.parse("default n=many\nrepeat ${n} every 1s\nend\n"))
                .hasMessage("test.playbook:2:8: expected a number of times from 1 to 10000 after 'repeat', got 'many'");
        assertThatThrownBy(() -> h.parse("dump-stuck\nexpect stuck.count < ${max}\n", Map.of("max", "lots")))
                .hasMessage("test.playbook:2:22: expected a number to compare 'stuck.count' with, got 'lots'");
    }

    @Test
    void wholeFileIsParsedBeforeAnythingRunsSoALateTypoStopsEverything() {
        Harness h = new Harness(dir);
        assertThatThrownBy(() -> h.run("dump-stuck\nsleep 5s\nloops\nexpect stuck.count === 0\n"))
                .isInstanceOf(PlaybookParseException.class)
                .hasMessageStartingWith("test.playbook:4:22: ");
        assertThat(h.executor.executed()).isEmpty();
        assertThat(h.clock.sleeps()).isEmpty();
        assertThat(h.bundle).doesNotExist();
    }
}
