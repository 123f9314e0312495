package io.routerctl.playbooks;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parser's robustness: whatever the input, it either parses or fails with a
 * {@link PlaybookParseException} whose position lies within the input. Nothing else escapes.
 */
class PlaybookParserPropertiesTest {

    /**
     * Knows the command set and nothing else: this test is about the language, so every command
     * line passes its option check (the real checks are the console's, tested there).
     */
    private static final CommandExecutor EXECUTOR = new CommandExecutor() {
        @Override
        public CommandSet commands() {
            return CommandSet.standard();
        }

        @Override
        public CommandResult execute(List<String> args) {
            throw new UnsupportedOperationException("the parser never runs commands");
        }

        @Override
        public String describeTarget() {
            return "no target";
        }

        @Override
        public java.util.Set<String> detectors() {
            return java.util.Set.of();
        }
    };

    /** Fragments of the language, so that generated text gets deep into the grammar, not just the first word. */
    private static final List<String> FRAGMENTS = List.of(
            "expect", "wait-until", "repeat", "end", "save", "echo", "sleep", "require", "detector", "default",
            "dump-stuck", "loops", "diff", "snapshot", "task", "--older-than", "--timeout", "--every", "every",
            "stuck", "groups", "in_flight", "persistent", "loops", ".count", ".where(", ".first", ".oldest_ms",
            ".max(", "waiting_on", "=", "==", "!=", "<", "<=", ">", ">=", ",", ")", "(", ".", "5s", "0", "-1",
            "1.5s", "auth", "${", "${t}", "${x}", "}", "'", "\"", "\\", "#", " ", "  ", "\t", "\n", "\r\n",
            "lost-wakeup", "x=1", "none", "1h", "25h", "99999999999999999999");

    /** Pieces of statements without quotes, so that generated lines get past the first word. */
    private static final List<String> PIECES = List.of(
            "stuck", "groups", "in_flight", "refused", "persistent", "loops", ".count", ".first", ".oldest_ms",
            ".where(", ".max(", ".sum(", "waiting_on", "last_step", "kind", "warnings", "age_ms", "stuck", "name",
            ".text", ".remote", "=", "!=", "==", "<", "<=", ">", ">=", ",", ")", "(", ".", "auth", "none", "5s", "0",
            "-1", "2.5", "1.5s", "500ms", " ", " ", " ", "--timeout", "--every", "1s", "every", "3", "${t}", "x",
            "lost-wakeup", "first-look", "-o", "--older-than", "--limit", "10");
    private static final List<String> HEADS = List.of(
            "expect ", "expect stuck", "expect stuck.where(", "expect groups", "expect in_flight", "expect loops",
            "expect persistent", "wait-until stuck", "wait-until in_flight", "repeat 2", "repeat ", "end", "save ", "sleep ",
            "require detector ", "default ", "dump-stuck ", "loops ", "diff a b ", "snapshot ", "echo ", "");

    @Provide
    Arbitrary<String> playbookish() {
        Arbitrary<String> line = Combinators.combine(
                Arbitraries.of(HEADS),
                Arbitraries.of(PIECES).list().ofMaxSize(12).map(l -> String.join("", l)))
                .as((head, rest) -> head + rest);
        Arbitrary<String> structured = line.list().ofMinSize(1).ofMaxSize(8).map(l -> String.join("\n", l));
        Arbitrary<String> fragment = Arbitraries.oneOf(
                Arbitraries.of(FRAGMENTS),
                Arbitraries.strings().ofMaxLength(4),
                Arbitraries.strings().withChars("{}$#'\"\\ ().=<>!,\n").ofMaxLength(3));
        Arbitrary<String> soup = fragment.list().ofMaxSize(40).map(l -> String.join("", l));
        return Arbitraries.frequencyOf(Tuple.of(3, structured), Tuple.of(1, soup));
    }

    @Property(tries = 3000)
    void generatedPlaybooksParseOrFailWithAPositionInside(@ForAll("playbookish") String source) {
        check(source);
    }

    @Property(tries = 1000)
    void arbitraryTextParsesOrFailsWithAPositionInside(@ForAll String source) {
        check(source);
    }

    @Property(tries = 1000)
    void validCommandLinePrefixedToAnythingStillFailsOnlyWithPositions(
            @ForAll("playbookish") String tail, @ForAll("playbookish") String vars) {
        check("default t=5s\ndump-stuck --older-than ${t}\n" + tail);
        check("expect " + tail);
        check("wait-until stuck.count == 0 " + tail);
        check("repeat 2 every 1s\n" + tail + "\nend");
    }

    @Property(tries = 2000)
    void quotingAnyWordAndSplittingItGivesTheWordBack(@ForAll String word) throws PlaybookParseException {
        String line = "echo " + LineTokenizer.quote(word);
        List<Token> tokens = LineTokenizer.tokenize("q.playbook", 1, line, Map.of());
        assertThat(tokens).extracting(Token::text).containsExactly("echo", word);
    }

    @Property(tries = 1000)
    void substitutedValuesNeverSplitOrReenterTheTokenizer(@ForAll String value) throws PlaybookParseException {
        List<Token> tokens = LineTokenizer.tokenize("q.playbook", 1, "snapshot -o ${v} \"${v}x\"", Map.of("v", value));
        if (value.isEmpty()) {
            assertThat(tokens).extracting(Token::text).containsExactly("snapshot", "-o", "x");
        } else {
            assertThat(tokens).extracting(Token::text).containsExactly("snapshot", "-o", value, value + "x");
            assertThat(tokens.get(2).columns()).containsOnly(13);
        }
    }

    @Property(tries = 1000)
    void aCommandsRenderingParsesBackToTheSameCommand(@ForAll("playbookish") String word) throws PlaybookParseException {
        Statement.Command c = new Statement.Command(1, List.of("snapshot", "-o", word.replace("\n", " ").replace("\r", " ")));
        Playbook p = Playbook.parse("r.playbook", c.render(), Map.of(), Map.of(), EXECUTOR);
        assertThat(p.statements()).containsExactly(c);
    }

    private static void check(String source) {
        try {
            Playbook.parse("gen.playbook", source, Map.of("bundle", "/b"), Map.of("x", "1"), EXECUTOR);
        } catch (PlaybookParseException e) {
            String[] lines = source.split("\n", -1);
            assertThat(e.line()).as(e.getMessage()).isBetween(1, lines.length);
            assertThat(e.column()).as(e.getMessage()).isBetween(1, lines[e.line() - 1].length() + 1);
            assertThat(e.getMessage()).startsWith("gen.playbook:" + e.line() + ":" + e.column() + ": ");
            assertThat(e.problem()).isNotBlank();
        }
    }
}
