package io.routerctl.playbooks;


import java.util.List;

/**
 * Splits a command line into words exactly as a playbook line is split (POSIX-shell quoting,
 * {@code #} comments), so that what a user types in routerctl's shell can be pasted into a
 * playbook unchanged, and the other way round.
 *
 * <pre>{@code
 * CommandLines.split("dump-stuck --older-than 5s  # the usual");   // [dump-stuck, --older-than, 5s]
 * }</pre>
 *
 * <h2>Thread safety</h2>
 * Stateless; safe from any thread. Never returns {@code null}.
 */
public final class CommandLines {

    private CommandLines() {
    }

    /**
     * The words of {@code line}; empty for a blank or comment-only line. {@code ${name}} references
     * are left as written (there are no variables outside playbooks).
     *
     * @throws IllegalArgumentException with a message naming the column, on an unterminated quote
     */
    public static List<String> split(String line) {
        try {
            return LineTokenizer.tokenize("line", 1, line, null).stream().map(Token::text).toList();
        } catch (PlaybookParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
