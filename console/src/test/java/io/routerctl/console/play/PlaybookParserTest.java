package io.routerctl.console.play;

import io.routerctl.playbooks.PlaybookParseException;
import io.routerctl.playbooks.Playbook;
import io.routerctl.playbooks.Statement;
import io.routerctl.playbooks.query.Comparison;
import io.routerctl.playbooks.query.Expectation;
import io.routerctl.playbooks.query.FieldType;
import io.routerctl.playbooks.query.Query;
import io.routerctl.playbooks.query.Root;
import io.routerctl.console.play.testing.Harness;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every statement parses into what it says, with variables substituted. */
@ExtendWith(Harness.Cleanup.class)
class PlaybookParserTest {

    @TempDir
    Path dir;

    private List<Statement> parse(String source) throws PlaybookParseException {
        return new Harness(dir).parse(source).statements();
    }

    @Test
    void commandLineIsSplitLikeTheShellSplitsIt() throws Exception {
        List<Statement> s = parse("dump-stuck --older-than 5s   --limit 10 # the rest is a comment\n");
        assertThat(s).containsExactly(new Statement.Command(1, List.of("dump-stuck", "--older-than", "5s", "--limit", "10")));
    }

    @Test
    void commentsAndBlankLinesAreSkippedAndLinesKeepTheirNumbers() throws Exception {
        List<Statement> s = parse("# header\n\n   \t\n# more\nloops\r\n");
        assertThat(s).containsExactly(new Statement.Command(5, List.of("loops")));
    }

    @Test
    void expectParsesQueryComparisonAndValue() throws Exception {
        Statement.Expect e = (Statement.Expect) parse("expect stuck.where(waiting_on=auth).count < 5").get(0);
        Expectation x = e.expectation();
        assertThat(x.query().root()).isEqualTo(Root.STUCK);
        assertThat(x.query().ops()).containsExactly(
                new Query.Where(List.of(new Query.Condition("waiting_on", false, "auth"))), new Query.Count());
        assertThat(x.query().type()).isEqualTo(FieldType.NUMBER);
        assertThat(x.comparison()).isEqualTo(Comparison.LT);
        assertThat(x.expected().number()).isEqualTo(5.0);
        assertThat(e.render()).isEqualTo("expect stuck.where(waiting_on=auth).count < 5");
    }

    @Test
    void everyComparisonParsesWithOrWithoutBlanks() throws Exception {
        for (Comparison c : Comparison.values()) {
            for (String src : List.of("expect in_flight" + c.symbol() + "3", "expect in_flight " + c.symbol() + " 3")) {
                Statement.Expect e = (Statement.Expect) parse(src).get(0);
                assertThat(e.expectation().comparison()).as(src).isEqualTo(c);
                assertThat(e.render()).isEqualTo("expect in_flight " + c.symbol() + " 3");
            }
        }
    }

    @Test
    void valuesAreNumbersDurationsOrText() throws Exception {
        Statement.Expect ms = (Statement.Expect) parse("expect stuck.oldest_ms <= 1.5s").get(0);
        assertThat(ms.expectation().expected().number()).isEqualTo(1500.0);
        assertThat(ms.expectation().expected().duration()).isTrue();
        Statement.Expect plain = (Statement.Expect) parse("expect stuck.max(age_ms) > 250").get(0);
        assertThat(plain.expectation().expected().number()).isEqualTo(250.0);
        Statement.Expect text = (Statement.Expect) parse("expect groups.first.last_step != 'route resolved'").get(0);
        assertThat(text.expectation().expected().text()).isEqualTo("route resolved");
        assertThat(text.expectation().query().type()).isEqualTo(FieldType.TEXT);
        Statement.Expect negative = (Statement.Expect) parse("expect refused > -1").get(0);
        assertThat(negative.expectation().expected().number()).isEqualTo(-1.0);
    }

    @Test
    void whereTakesSeveralConditionsNegationAndBlanks() throws Exception {
        Statement.Expect e = (Statement.Expect) parse(
                "expect stuck.where( kind=request , waiting_on!=upstream, last_step == auth-requested ).first.remote == x")
                .get(0);
        assertThat(e.expectation().query().ops().get(0)).isEqualTo(new Query.Where(List.of(
                new Query.Condition("kind", false, "request"),
                new Query.Condition("waiting_on", true, "upstream"),
                new Query.Condition("last_step", false, "auth-requested"))));
        assertThat(e.expectation().query().text())
                .isEqualTo("stuck.where(kind=request,waiting_on!=upstream,last_step=auth-requested).first.remote");
    }

    @Test
    void waitUntilTakesTimeoutAndEveryInAnyOrder() throws Exception {
        Statement.WaitUntil w = (Statement.WaitUntil) parse("wait-until stuck.count == 0 --every 2s --timeout 30s").get(0);
        assertThat(w.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(w.every()).isEqualTo(Duration.ofSeconds(2));
        Statement.WaitUntil d = (Statement.WaitUntil) parse("wait-until in_flight < 10 --timeout 1m").get(0);
        assertThat(d.every()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void repeatNestsAndHoldsItsBody() throws Exception {
        List<Statement> s = parse("repeat 3 every 5s\n  loops\n  repeat 2\n    dump-stuck\n  end\nend\necho done\n");
        assertThat(s).hasSize(2);
        Statement.Repeat outer = (Statement.Repeat) s.get(0);
        assertThat(outer.times()).isEqualTo(3);
        assertThat(outer.every()).isEqualTo(Duration.ofSeconds(5));
        assertThat(outer.body()).hasSize(2);
        Statement.Repeat inner = (Statement.Repeat) outer.body().get(1);
        assertThat(inner.line()).isEqualTo(3);
        assertThat(inner.every()).isEqualTo(Duration.ZERO);
        assertThat(inner.body()).containsExactly(new Statement.Command(4, List.of("dump-stuck")));
        assertThat(s.get(1)).isEqualTo(new Statement.Echo(7, "done"));
    }

    @Test
    void saveEchoSleepRequireParse() throws Exception {
        List<Statement> s = parse("loops\nsave loops-before\necho  two   words 'and  quoted'\nsleep 250ms\nrequire detector slow\n");
        assertThat(s).containsExactly(
                new Statement.Command(1, List.of("loops")),
                new Statement.Save(2, "loops-before"),
                new Statement.Echo(3, "two words and  quoted"),
                new Statement.Sleep(4, Duration.ofMillis(250)),
                new Statement.Require(5, "slow"));
    }

    @Test
    void variablesComeFromVarOverDefaultAndNeverSplitAWord() throws Exception {
        Harness h = new Harness(dir);
        Playbook p = h.parse("""
                dump-stuck --older-than ${t}
                snapshot -o "${bundle}/${name}.json"
                echo '${t}' \\${t} "\\${t}" ${t}
                default t=5s
                default name=snap shot
                """.replace("snap shot", "snap"), Map.of("t", "2s"));
        assertThat(p.statements()).containsExactly(
                new Statement.Command(1, List.of("dump-stuck", "--older-than", "2s")),
                new Statement.Command(2, List.of("snapshot", "-o", h.bundle + "/snap.json")),
                new Statement.Echo(3, "${t} ${t} ${t} 2s"));
        assertThat(p.vars()).containsEntry("t", "2s").containsEntry("name", "snap").containsEntry("bundle", h.bundle.toString());
        assertThat(p.defaults()).containsExactly("t", "name");
    }

    @Test
    void valueWithBlanksStaysOneWord() throws Exception {
        Harness h = new Harness(dir);
        Playbook p = h.parse("snapshot -o ${file}\n", Map.of("file", "my snap.json"));
        assertThat(p.statements()).containsExactly(new Statement.Command(1, List.of("snapshot", "-o", "my snap.json")));
    }

    @Test
    void varCannotOverrideTheBundle() throws Exception {
        Harness h = new Harness(dir);
        Playbook p = h.parse("echo ${bundle}\n", Map.of("bundle", "/elsewhere"));
        assertThat(p.statements()).containsExactly(new Statement.Echo(1, h.bundle.toString()));
    }

    @Test
    void everyQueryShapeTypeChecks() throws Exception {
        String[] ok = {
                "in_flight == 0", "refused == 0", "stuck.count == 0", "stuck.oldest_ms < 5s", "groups.count <= 2",
                "groups.first.text != none", "groups.first.count > 1", "groups.where(waiting_on=auth).oldest_ms < 1m",
                "stuck.where(warnings=lost-wakeup).count == 0", "stuck.first.waiting_ms < 100",
                "stuck.min(age_ms) >= 0", "stuck.sum(waiting_ms) >= 0", "groups.max(count) < 100",
        };
        for (String q : ok) {
            assertThat(parse("expect " + q)).as(q).hasSize(1);
        }
        assertThat(parse("diff a b\nexpect persistent.where(waiting_on=auth).count == 0\nexpect new.count == 0\n"
                + "expect resolved.count >= 0")).hasSize(4);
        assertThat(parse("loops\nexpect loops.max(stuck) == 0\nexpect loops.where(name=loop-0).first.in_flight < 5"))
                .hasSize(3);
    }

    @Test
    void keywordsAreNotCommandsWhenQuotedButCommandNamesMayBe() throws Exception {
        assertThat(parse("'loops'")).containsExactly(new Statement.Command(1, List.of("loops")));
    }
}
