package io.routerctl.console.play;

import io.routerctl.playbooks.TargetUnreachableException;
import io.routerctl.playbooks.PlaybookRunner;
import io.routerctl.playbooks.CommandExecutor;
import io.routerctl.playbooks.CommandResult;
import io.routerctl.playbooks.CommandSet;
import io.routerctl.playbooks.Playbook;
import io.routerctl.playbooks.RunResult;
import io.routerctl.playbooks.Statement;
import com.fasterxml.jackson.databind.JsonNode;
import io.routerctl.playbooks.query.Expectation;
import io.routerctl.playbooks.query.QueryException;
import io.routerctl.console.play.testing.Harness;
import io.routerctl.console.play.testing.SampleTarget;
import io.routerctl.playbooks.JsonDocuments;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Queries evaluated on dump-stuck documents produced from a real registry. */
@ExtendWith(Harness.Cleanup.class)
class QueryEvaluationTest {

    @TempDir
    Path dir;

    private Harness h;

    @BeforeEach
    void stuckRequests() {
        h = new Harness(dir);
        for (int i = 0; i < 5; i++) {
            h.target.requestWaitingOnAuth(i % 2);
        }
        h.clock.advance(Duration.ofSeconds(4));
        h.target.requestWaitingOnUpstream(1);
        h.target.requestWaitingOnUpstream(1);
        h.clock.advance(Duration.ofSeconds(3));
        h.target.requestWaitingOnAuth(0); // in flight, not stuck yet
    }

    private JsonNode dumpStuck(String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("dump-stuck"));
        args.addAll(List.of(options));
        return h.executor.execute(args).json();
    }

    private Expectation.Outcome check(String expectation, JsonNode doc) throws Exception {
        Playbook p = h.parse("expect " + expectation);
        return ((Statement.Expect) p.statements().get(0)).expectation().check(doc);
    }

    @Test
    void countsComeFromTheSummaryAndTheGroupsSoTheyAreExactPastTheLimit() throws Exception {
        JsonNode doc = dumpStuck("--older-than", "2s", "--limit", "2");
        assertThat(doc.path("tasks").size()).isEqualTo(2);
        assertThat(check("stuck.count == 7", doc)).isEqualTo(new Expectation.Outcome(true, "7", null));
        assertThat(check("stuck.where(waiting_on=auth).count == 5", doc).held()).isTrue();
        assertThat(check("stuck.where(waiting_on=upstream, kind=request).count == 2", doc).held()).isTrue();
        assertThat(check("stuck.where(waiting_on!=auth).count == 2", doc).held()).isTrue();
        assertThat(check("stuck.oldest_ms == 7s", doc)).isEqualTo(new Expectation.Outcome(true, "7000 ms", null));
        assertThat(check("stuck.where(waiting_on=upstream).oldest_ms == 3000", doc).held()).isTrue();
        assertThat(check("in_flight == 8", doc).held()).isTrue();
        assertThat(check("groups.count == 2", doc).held()).isTrue();
        assertThat(check("groups.first.text == '5 requests waiting on auth (" + SampleTarget.AUTH.location() + ") after auth-requested; oldest wait 7s'", doc)
                .held()).isTrue();
    }

    @Test
    void queriesOnOtherFieldsAreComputedOverTheListedTasksAndSaySoWhenTheListIsShort() throws Exception {
        JsonNode cut = dumpStuck("--older-than", "2s", "--limit", "3");
        Expectation.Outcome o = check("stuck.where(loop=loop-1).count == 4", cut);
        assertThat(o.held()).isFalse();
        assertThat(o.note()).isEqualTo("computed over the 3 tasks listed of 7 stuck; raise dump-stuck's --limit for all of them");
        JsonNode all = dumpStuck("--older-than", "2s");
        assertThat(check("stuck.where(loop=loop-1).count == 4", all)).isEqualTo(new Expectation.Outcome(true, "4", null));
        assertThat(check("stuck.where(loop=loop-1, waiting_on=upstream).count == 2", all).held()).isTrue();
        assertThat(check("stuck.first.remote == 127.0.0.1:40000", all).held()).isTrue();
        assertThat(check("stuck.max(age_ms) == 7s", all).held()).isTrue();
        assertThat(check("stuck.min(waiting_ms) == 3s", all).held()).isTrue();
        assertThat(check("stuck.where(state=waiting).count == 7", all).held()).isTrue();
        assertThat(check("stuck.where(waiting_at=none).count == 0", all).held()).isTrue();
    }

    @Test
    void emptyResultsAreNoneWhichOnlyEqualsNone() throws Exception {
        h = new Harness(dir);
        JsonNode doc = dumpStuck();
        assertThat(check("stuck.oldest_ms < 5s", doc)).isEqualTo(new Expectation.Outcome(false, "none", null));
        assertThat(check("stuck.oldest_ms != 5s", doc).held()).isTrue();
        assertThat(check("groups.first.text == none", doc).held()).isTrue();
        assertThat(check("groups.first.text != none", doc).held()).isFalse();
        assertThat(check("stuck.sum(age_ms) == 0", doc).held()).isTrue();
        assertThat(check("stuck.count == 0", doc).held()).isTrue();
    }

    @Test
    void comparisonsOrderNumbers() throws Exception {
        JsonNode doc = dumpStuck("--older-than", "2s");
        assertThat(check("stuck.count < 7", doc).held()).isFalse();
        assertThat(check("stuck.count <= 7", doc).held()).isTrue();
        assertThat(check("stuck.count > 6.5", doc).held()).isTrue();
        assertThat(check("stuck.count >= 8", doc).held()).isFalse();
        assertThat(check("stuck.count != 7", doc).held()).isFalse();
        assertThat(check("groups.first.waiting_on != upstream", doc).held()).isTrue();
    }

    @Test
    void documentMissingADocumentedFieldIsAQueryErrorNotAWrongAnswer() throws Exception {
        JsonNode odd = JsonDocuments.mapper().readTree("{\"summary\":{\"stuck\":\"many\"},\"tasks\":{}}");
        assertThatThrownBy(() -> check("in_flight == 0", odd))
                .isInstanceOf(QueryException.class).hasMessage("dump-stuck output has no 'summary.in_flight'");
        assertThatThrownBy(() -> check("stuck.count == 0", odd))
                .isInstanceOf(QueryException.class).hasMessage("dump-stuck output: 'summary.stuck' is not a number");
        assertThatThrownBy(() -> check("stuck.where(loop=x).count == 0", odd))
                .isInstanceOf(QueryException.class).hasMessage("dump-stuck output: 'tasks' is not a list");
    }

    @Test
    void expectAfterSomeOtherCommandStillReadsADumpStuck() throws Exception {
        Harness other = new Harness(dir);
        RunResult r = other.run("snapshot -o ${bundle}/other.json\nexpect stuck.count == 0\n");
        assertThat(r.exitCode()).isZero();
        assertThat(other.executor.executed()).extracting(a -> a.get(0)).containsExactly("snapshot", "dump-stuck");
    }

    @Test
    void malformedOutputAtRunTimeStopsThePlaybookWithExitTwo() throws Exception {
        Harness real = new Harness(dir);
        CommandExecutor odd = new CommandExecutor() {
            @Override
            public CommandSet commands() {
                return real.executor.commands();
            }

            @Override
            public CommandResult execute(List<String> args) throws TargetUnreachableException, InterruptedException {
                CommandResult r = real.executor.execute(args);
                ((com.fasterxml.jackson.databind.node.ObjectNode) r.json()).remove("summary");
                return r;
            }

            @Override
            public String describeTarget() throws TargetUnreachableException {
                return real.executor.describeTarget();
            }

            @Override
            public java.util.Set<String> detectors() {
                return java.util.Set.of();
            }
        };
        Playbook p = Playbook.parse("odd.playbook", "dump-stuck\nexpect in_flight == 0\nloops\n", java.util.Map.of(),
                java.util.Map.of(), odd);
        RunResult r = new PlaybookRunner(odd, real.clock, new java.io.PrintWriter(real.output)).run(p, real.bundle);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.message()).isEqualTo("line 2: cannot evaluate 'in_flight': dump-stuck output has no 'summary.in_flight'");
        assertThat(real.executor.executed()).hasSize(1);
    }
}
