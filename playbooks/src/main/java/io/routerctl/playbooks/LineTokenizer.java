package io.routerctl.playbooks;


import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Splits one playbook line into words the way a POSIX shell would, so that a line typed in the
 * shell can be pasted into a playbook unchanged.
 *
 * <ul>
 *   <li>Words are separated by spaces and tabs.</li>
 *   <li>{@code #} at the start of a word begins a comment that runs to the end of the line.</li>
 *   <li>{@code '...'} is literal. {@code "..."} substitutes variables and honours {@code \"},
 *       {@code \\} and {@code \$}. Outside quotes, {@code \} makes the next character literal.</li>
 *   <li>{@code ${name}} is replaced by the variable's value, outside quotes and inside double
 *       quotes; the value never splits a word. A {@code $} not followed by {@code {} is literal.
 *       As in the shell, an unquoted word that comes out empty (an empty value) is dropped;
 *       {@code ""} is an empty word.</li>
 * </ul>
 *
 * <h2>Thread safety</h2>
 * Stateless apart from its arguments; one instance per line.
 */
public final class LineTokenizer {

    private final String file;
    private final int lineNumber;
    private final String line;
    private final Map<String, String> vars;
    private int pos;

    private LineTokenizer(String file, int lineNumber, String line, Map<String, String> vars) {
        this.file = file;
        this.lineNumber = lineNumber;
        this.line = line;
        this.vars = vars;
    }

    /**
     * The words of {@code line}; empty for a blank or comment-only line. Never {@code null}.
     *
     * @param vars the variables {@code ${name}} may name; {@code null} to leave references as
     *             written (used to read {@code default} statements before the variables are known)
     * @throws PlaybookParseException on an unterminated quote, a malformed or unknown reference
     */
    public static List<Token> tokenize(String file, int lineNumber, String line, Map<String, String> vars)
            throws PlaybookParseException {
        return new LineTokenizer(file, lineNumber, line, vars).words();
    }

    private List<Token> words() throws PlaybookParseException {
        List<Token> out = new ArrayList<>();
        while (true) {
            while (pos < line.length() && isBlank(line.charAt(pos))) {
                pos++;
            }
            if (pos >= line.length() || line.charAt(pos) == '#') {
                return out;
            }
            Token w = word();
            if (!w.text().isEmpty() || w.quoted()) {
                out.add(w);
            }
        }
    }

    private Token word() throws PlaybookParseException {
        int start = pos;
        StringBuilder text = new StringBuilder();
        int[] cols = new int[16];
        boolean quoted = false;
        while (pos < line.length() && !isBlank(line.charAt(pos))) {
            char c = line.charAt(pos);
            if (c == '\'') {
                quoted = true;
                int open = pos++;
                while (pos < line.length() && line.charAt(pos) != '\'') {
                    cols = append(text, cols, line.charAt(pos), pos);
                    pos++;
                }
                if (pos >= line.length()) {
                    throw error(open, "unterminated single quote (') opened here");
                }
                pos++;
            } else if (c == '"') {
                quoted = true;
                int open = pos++;
                while (pos < line.length() && line.charAt(pos) != '"') {
                    char d = line.charAt(pos);
                    if (d == '\\' && pos + 1 < line.length() && "\"\\$".indexOf(line.charAt(pos + 1)) >= 0) {
                        cols = append(text, cols, line.charAt(pos + 1), pos);
                        pos += 2;
                    } else if (d == '$' && pos + 1 < line.length() && line.charAt(pos + 1) == '{') {
                        cols = substitute(text, cols);
                    } else {
                        cols = append(text, cols, d, pos);
                        pos++;
                    }
                }
                if (pos >= line.length()) {
                    throw error(open, "unterminated double quote (\") opened here");
                }
                pos++;
            } else if (c == '\\') {
                if (pos + 1 >= line.length()) {
                    throw error(pos, "expected a character after '\\' at the end of the line");
                }
                cols = append(text, cols, line.charAt(pos + 1), pos);
                pos += 2;
            } else if (c == '$' && pos + 1 < line.length() && line.charAt(pos + 1) == '{') {
                cols = substitute(text, cols);
            } else {
                cols = append(text, cols, c, pos);
                pos++;
            }
        }
        return new Token(text.toString(), Arrays.copyOf(cols, text.length()), start + 1, pos + 1, quoted);
    }

    /** Reads {@code ${name}} at {@code pos} and appends its value (or the reference itself if vars are not known yet). */
    private int[] substitute(StringBuilder text, int[] cols) throws PlaybookParseException {
        int dollar = pos;
        int close = line.indexOf('}', pos + 2);
        if (close < 0) {
            throw error(dollar, "expected '}' to close the variable reference '${'");
        }
        String name = line.substring(pos + 2, close);
        if (!isVariableName(name)) {
            throw error(dollar, "expected a variable name (letters, digits, '_', '-', '.') inside '${...}', got '"
                    + name + "'");
        }
        String value;
        if (vars == null) {
            value = line.substring(pos, close + 1);
        } else {
            value = vars.get(name);
            if (value == null) {
                throw error(dollar, "unknown variable '" + name + "': pass --var " + name
                        + "=VALUE or declare 'default " + name + "=VALUE'");
            }
        }
        for (int i = 0; i < value.length(); i++) {
            cols = append(text, cols, value.charAt(i), dollar);
        }
        pos = close + 1;
        return cols;
    }

    /** Whether {@code name} may name a variable: a letter or '_' then letters, digits, '_', '-', '.'. */
    public static boolean isVariableName(String name) {
        if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static int[] append(StringBuilder text, int[] cols, char c, int sourceIndex) {
        if (text.length() == cols.length) {
            cols = Arrays.copyOf(cols, cols.length * 2);
        }
        cols[text.length()] = sourceIndex + 1;
        text.append(c);
        return cols;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f';
    }

    private PlaybookParseException error(int index, String problem) {
        return new PlaybookParseException(file, lineNumber, index + 1, problem);
    }

    /** Quotes {@code word} for display so that tokenizing the result gives {@code word} back. */
    public static String quote(String word) {
        if (!word.isEmpty() && word.chars().noneMatch(ch -> " \t\r\f'\"\\$#".indexOf(ch) >= 0)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
