package io.routerctl.playbooks;


import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed playbook: its statements with variables substituted, ready to run or to print as a
 * plan. A playbook exists only if the whole file parsed: every command is known and its options
 * check out, every variable has a value, every query names real fields.
 *
 * <pre>{@code
 * Playbook p = Playbook.parse("hung-requests.playbook", text, Map.of("bundle", dir.toString()),
 *         Map.of("interval", "2s"), executor);
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * Immutable.
 */
public final class Playbook {

    /** The statement keywords (for completion in the shell); a line starting with one is not a command. */
    public static final Set<String> STATEMENT_KEYWORDS = PlaybookParser.KEYWORDS;

    /** The built-in variable holding the incident bundle's directory. */
    public static final String BUNDLE_VAR = "bundle";

    private final String name;
    private final String source;
    private final List<Statement> statements;
    private final Map<String, String> vars;
    private final List<String> defaults;

    private Playbook(String name, String source, PlaybookParser.Parsed parsed) {
        this.name = name;
        this.source = source;
        this.statements = parsed.statements();
        this.vars = Map.copyOf(parsed.vars());
        this.defaults = parsed.defaults();
    }

    /**
     * Parses a whole playbook.
     *
     * @param name     the file name shown in errors and reports, e.g. {@code hung-requests.playbook}
     * @param source   the playbook's text
     * @param builtins variables routerctl sets (e.g. {@value #BUNDLE_VAR}); defaults and --var cannot change them
     * @param vars     {@code --var} values; they override {@code default} statements
     * @param executor which commands exist and whether their options are right; not contacted
     *                 otherwise (nothing runs)
     * @throws PlaybookParseException at the first problem, with its line and column
     */
    public static Playbook parse(String name, String source, Map<String, String> builtins, Map<String, String> vars,
                                 CommandExecutor executor) throws PlaybookParseException {
        return new Playbook(name, source, PlaybookParser.parse(name, source, builtins, vars, executor));
    }

    /** The name it was parsed under. */
    public String name() {
        return name;
    }

    /** Its text, as read. */
    public String source() {
        return source;
    }

    /** The top-level statements, in order; a {@code repeat} holds its body. */
    public List<Statement> statements() {
        return statements;
    }

    /** Every variable's value: built-ins, then defaults overridden by {@code --var}. */
    public Map<String, String> vars() {
        return vars;
    }

    /** Variables declared with {@code default}, in file order. */
    public List<String> defaults() {
        return defaults;
    }

    /** Every {@code require detector} in the playbook, nested ones included, in order. */
    public List<Statement.Require> requirements() {
        List<Statement.Require> out = new ArrayList<>();
        collect(statements, out);
        return out;
    }

    private static void collect(List<Statement> list, List<Statement.Require> out) {
        for (Statement s : list) {
            if (s instanceof Statement.Require r) {
                out.add(r);
            } else if (s instanceof Statement.Repeat rep) {
                collect(rep.body(), out);
            }
        }
    }
}
