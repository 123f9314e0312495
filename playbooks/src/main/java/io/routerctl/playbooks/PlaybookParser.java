package io.routerctl.playbooks;

import io.routerctl.probes.Durations;
import io.routerctl.playbooks.query.DocumentKind;
import io.routerctl.playbooks.query.Expectation;
import io.routerctl.probes.snapshot.Warning;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a whole playbook into statements, or fails with the first problem's position. Two passes:
 * the first collects {@code default NAME=VALUE} statements (wherever they stand), the second
 * substitutes variables and parses every line. Nothing runs until both succeed.
 *
 * <h2>Thread safety</h2>
 * One instance per parse.
 */
public final class PlaybookParser {

    /** The statement keywords; a line starting with one of them is a statement, not a command. */
    public static final Set<String> KEYWORDS = Set.of(
            "expect", "wait-until", "repeat", "end", "save", "echo", "sleep", "require", "default");

    /** Most iterations of one repeat: a playbook is a procedure, not a load generator. */
    public static final int MAX_REPEAT = 10_000;
    /** Longest sleep, interval or timeout a playbook may ask for. */
    public static final Duration MAX_DURATION = Duration.ofHours(24);

    private static final Pattern SAVE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /**
     * What the parse produced.
     *
     * @param statements the top-level statements, in order
     * @param vars       every variable's value as used, {@code --var}s over defaults over built-ins
     * @param defaults   the names declared with {@code default}, in file order
     */
    public record Parsed(List<Statement> statements, Map<String, String> vars, List<String> defaults) {
    }

    private final String file;
    private final String[] lines;
    private final CommandExecutor executor;
    private final CommandSet commands;
    private final Set<DocumentKind> produced = EnumSet.noneOf(DocumentKind.class);
    private boolean anyCommand;

    private PlaybookParser(String file, String source, CommandExecutor executor) {
        this.file = file;
        this.lines = source.split("\n", -1);
        this.executor = executor;
        this.commands = executor.commands();
    }

    /**
     * Parses {@code source}.
     *
     * @param file     the name to show in errors, e.g. {@code hung-requests.playbook}
     * @param builtins variables the runner provides (e.g. {@code bundle}); a default cannot change them
     * @param vars     the {@code --var} values, which override defaults
     * @param executor decides which commands exist and whether their options are right
     */
    public static Parsed parse(String file, String source, Map<String, String> builtins, Map<String, String> vars,
                               CommandExecutor executor) throws PlaybookParseException {
        return new PlaybookParser(file, source, executor).parse(builtins, vars);
    }

    private Parsed parse(Map<String, String> builtins, Map<String, String> given) throws PlaybookParseException {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (int i = 0; i < lines.length; i++) {
            List<Token> words = LineTokenizer.tokenize(file, i + 1, lines[i], null);
            if (!words.isEmpty() && !words.get(0).quoted() && words.get(0).text().equals("default")) {
                readDefault(i + 1, words, builtins, defaults);
            }
        }
        Map<String, String> vars = new LinkedHashMap<>(builtins);
        vars.putAll(defaults);
        vars.putAll(given);
        vars.putAll(builtins);

        Deque<Block> open = new ArrayDeque<>();
        open.push(new Block(null, 0, null));
        for (int i = 0; i < lines.length; i++) {
            List<Token> words = LineTokenizer.tokenize(file, i + 1, lines[i], vars);
            if (!words.isEmpty()) {
                statement(i + 1, words, open);
            }
        }
        if (open.size() > 1) {
            Block b = open.peek();
            throw new PlaybookParseException(file, b.line, b.token.column(),
                    "'repeat' opened here is never closed: expected 'end' before the end of the file");
        }
        return new Parsed(open.peek().body, vars, List.copyOf(defaults.keySet()));
    }

    private void readDefault(int line, List<Token> words, Map<String, String> builtins, Map<String, String> defaults)
            throws PlaybookParseException {
        if (words.size() != 2) {
            int col = words.size() < 2 ? words.get(0).end() : words.get(2).column();
            throw error(line, col, "expected one NAME=VALUE after 'default'");
        }
        Token w = words.get(1);
        int eq = w.text().indexOf('=');
        String name = eq < 0 ? w.text() : w.text().substring(0, eq);
        if (eq < 0 || !LineTokenizer.isVariableName(name)) {
            throw error(line, w.column(), "expected NAME=VALUE after 'default', with NAME made of letters, digits, '_', '-', '.'");
        }
        if (w.text().contains("${")) {
            throw error(line, w.column(), "a default value cannot use variables");
        }
        if (builtins.containsKey(name)) {
            throw error(line, w.column(), "'" + name + "' is set by routerctl and cannot have a default");
        }
        if (defaults.containsKey(name)) {
            throw error(line, w.column(), "variable '" + name + "' already has a default");
        }
        defaults.put(name, w.text().substring(eq + 1));
    }

    private void statement(int line, List<Token> words, Deque<Block> open) throws PlaybookParseException {
        Token first = words.get(0);
        String keyword = first.quoted() ? "" : first.text();
        List<Statement> body = open.peek().body;
        switch (keyword) {
            case "default" -> {
                // read in the first pass
            }
            case "expect" -> {
                ExpressionParser p = new ExpressionParser(file, line, words.subList(1, words.size()), end(words));
                Expectation e = p.expectation();
                List<Token> rest = p.rest();
                if (!rest.isEmpty()) {
                    throw error(line, rest.get(0).column(), "unexpected '" + rest.get(0).text() + "' after the expectation");
                }
                needDocument(line, words.get(1).column(), e);
                body.add(new Statement.Expect(line, e));
            }
            case "wait-until" -> body.add(waitUntil(line, words));
            case "repeat" -> {
                int times = repeatCount(line, words);
                Duration every = Duration.ZERO;
                if (words.size() > 2) {
                    if (!words.get(2).text().equals("every")) {
                        throw error(line, words.get(2).column(), "expected 'every DURATION' after 'repeat " + times + "'");
                    }
                    every = duration(line, words, 3, "after 'every'");
                    if (words.size() > 4) {
                        throw error(line, words.get(4).column(), "unexpected '" + words.get(4).text() + "' after 'repeat "
                                + times + " every " + words.get(3).text() + "'");
                    }
                }
                Block b = new Block(first, line, new Statement.Repeat(line, times, every, List.of()));
                open.push(b);
            }
            case "end" -> {
                if (open.size() == 1) {
                    throw error(line, first.column(), "'end' without a 'repeat' to close");
                }
                noMore(line, words, 1, "'end'");
                Block b = open.pop();
                Statement.Repeat r = b.repeat;
                open.peek().body.add(new Statement.Repeat(r.line(), r.times(), r.every(), b.body));
            }
            case "save" -> {
                if (words.size() < 2) {
                    throw error(line, first.end(), "expected a NAME after 'save' (the bundle keeps NAME.json)");
                }
                Token n = words.get(1);
                if (!SAVE_NAME.matcher(n.text()).matches()) {
                    throw error(line, n.column(), "expected a NAME of letters, digits, '.', '_', '-' after 'save', got '"
                            + n.text() + "'");
                }
                noMore(line, words, 2, "'save " + n.text() + "'");
                if (!anyCommand) {
                    throw error(line, first.column(), "'save' keeps the last command's output, but no command runs before it");
                }
                body.add(new Statement.Save(line, n.text()));
            }
            case "echo" -> body.add(new Statement.Echo(line, words.subList(1, words.size()).stream()
                    .map(Token::text).collect(Collectors.joining(" "))));
            case "sleep" -> {
                Duration d = duration(line, words, 1, "after 'sleep'");
                noMore(line, words, 2, "'sleep " + words.get(1).text() + "'");
                body.add(new Statement.Sleep(line, d));
            }
            case "require" -> body.add(require(line, words));
            default -> body.add(command(line, words));
        }
    }

    private Statement require(int line, List<Token> words) throws PlaybookParseException {
        if (words.size() < 2 || !words.get(1).text().equals("detector")) {
            throw error(line, words.size() < 2 ? words.get(0).end() : words.get(1).column(),
                    "expected 'detector NAME' after 'require'");
        }
        String known = Arrays.stream(Warning.values()).map(Warning::wireName).collect(Collectors.joining(", "));
        if (words.size() < 3) {
            throw error(line, words.get(1).end(), "expected a detector name after 'require detector': one of " + known);
        }
        Token n = words.get(2);
        if (Warning.ofWireName(n.text()) == null) {
            throw error(line, n.column(), "unknown detector '" + n.text() + "'; expected one of " + known);
        }
        noMore(line, words, 3, "'require detector " + n.text() + "'");
        return new Statement.Require(line, n.text());
    }

    private Statement.WaitUntil waitUntil(int line, List<Token> words) throws PlaybookParseException {
        ExpressionParser p = new ExpressionParser(file, line, words.subList(1, words.size()), end(words));
        Expectation e = p.expectation();
        List<Token> rest = p.rest();
        Duration timeout = null;
        Duration every = null;
        for (int i = 0; i < rest.size(); i += 2) {
            Token o = rest.get(i);
            boolean isTimeout = o.text().equals("--timeout");
            if (!isTimeout && !o.text().equals("--every")) {
                throw error(line, o.column(), "expected --timeout DURATION or --every DURATION after the expectation, got '"
                        + o.text() + "'");
            }
            if ((isTimeout ? timeout : every) != null) {
                throw error(line, o.column(), o.text() + " is given twice");
            }
            Duration d = duration(line, rest, i + 1, "after '" + o.text() + "'");
            if (isTimeout) {
                timeout = d;
            } else {
                every = d;
            }
        }
        if (timeout == null) {
            throw error(line, rest.isEmpty() ? end(words) : rest.get(rest.size() - 1).end(),
                    "expected --timeout DURATION: a wait-until always ends");
        }
        if (every == null) {
            every = Duration.ofSeconds(1);
        }
        if (every.isZero()) {
            throw error(line, words.get(0).column(), "--every must be more than 0s");
        }
        needDocument(line, words.get(1).column(), e);
        return new Statement.WaitUntil(line, e, timeout, every);
    }

    /** Queries of diff and loops read the output of an earlier command; dump-stuck runs itself if needed. */
    private void needDocument(int line, int column, Expectation e) throws PlaybookParseException {
        DocumentKind doc = e.query().document();
        if (doc != DocumentKind.DUMP_STUCK && !produced.contains(doc)) {
            throw error(line, column, "'" + e.query().text() + "' reads the output of '" + doc.command()
                    + "', but no '" + doc.command() + "' command runs before it");
        }
    }

    private Statement command(int line, List<Token> words) throws PlaybookParseException {
        Token first = words.get(0);
        String name = first.text();
        if (!commands.contains(name)) {
            String suggestion = closest(name);
            throw error(line, first.column(), "unknown command '" + name + "'"
                    + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)")
                    + "; expected a statement (" + String.join(", ", new TreeSet<>(KEYWORDS))
                    + ") or a command (" + String.join(", ", new TreeSet<>(commands.names())) + ")");
        }
        List<String> args = words.stream().map(Token::text).toList();
        Optional<ArgumentProblem> problem;
        try {
            problem = executor.check(args);
        } catch (RuntimeException e) {
            throw error(line, first.column(), "cannot check '" + name + "': " + e);
        }
        if (problem != null && problem.isPresent()) {
            int idx = Math.max(0, Math.min(problem.get().argIndex(), words.size() - 1));
            throw error(line, words.get(idx).column(), problem.get().message());
        }
        anyCommand = true;
        DocumentKind doc = DocumentKind.ofCommand(name);
        if (doc != null) {
            produced.add(doc);
        }
        return new Statement.Command(line, args);
    }

    private String closest(String name) {
        String best = null;
        int bestDistance = 3;
        List<String> candidates = new ArrayList<>(commands.names());
        candidates.addAll(KEYWORDS);
        for (String c : candidates) {
            int d = distance(name, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3 || a.length() > 64) {
            return Integer.MAX_VALUE;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] tmp = prev;
            prev = cur;
            cur = tmp;
        }
        return prev[b.length()];
    }

    private int repeatCount(int line, List<Token> words) throws PlaybookParseException {
        if (words.size() < 2) {
            throw error(line, words.get(0).end(), "expected a number of times after 'repeat'");
        }
        Token n = words.get(1);
        int times;
        try {
            times = n.text().matches("\\d{1,6}") ? Integer.parseInt(n.text()) : -1;
        } catch (NumberFormatException e) {
            times = -1;
        }
        if (times < 1 || times > MAX_REPEAT) {
            throw error(line, n.column(), "expected a number of times from 1 to " + MAX_REPEAT + " after 'repeat', got '"
                    + n.text() + "'");
        }
        return times;
    }

    private Duration duration(int line, List<Token> words, int index, String where) throws PlaybookParseException {
        if (index >= words.size()) {
            throw error(line, words.get(words.size() - 1).end(), "expected a duration such as 5s or 500ms " + where);
        }
        Token w = words.get(index);
        Duration d;
        try {
            d = Durations.parse(w.text());
        } catch (IllegalArgumentException e) {
            throw error(line, w.column(), e.getMessage() + " " + where);
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            throw error(line, w.column(), "a duration in a playbook is at most 24h, got '" + w.text() + "'");
        }
        return d;
    }

    private void noMore(int line, List<Token> words, int count, String after) throws PlaybookParseException {
        if (words.size() > count) {
            throw error(line, words.get(count).column(), "unexpected '" + words.get(count).text() + "' after " + after);
        }
    }

    private static int end(List<Token> words) {
        return words.get(words.size() - 1).end();
    }

    private PlaybookParseException error(int line, int column, String problem) {
        return new PlaybookParseException(file, line, column, problem);
    }

    /** A repeat being read (or, at the bottom of the stack, the playbook itself). */
    private static final class Block {
        final Token token;
        final int line;
        final Statement.Repeat repeat;
        final List<Statement> body = new ArrayList<>();

        Block(Token token, int line, Statement.Repeat repeat) {
            this.token = token;
            this.line = line;
            this.repeat = repeat;
        }
    }
}
