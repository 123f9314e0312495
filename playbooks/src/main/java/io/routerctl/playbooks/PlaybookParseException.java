package io.routerctl.playbooks;

/**
 * A playbook that cannot run as written: the file, the line and column (both 1-based) where the
 * problem was found, and what was expected there. Its message reads like a compiler's:
 * {@code hung-requests.playbook:7:12: expected a comparison (==, !=, <, <=, >, >=) after 'stuck.count'}.
 *
 * <p>Every problem the parser finds is reported this way, before anything runs: syntax errors,
 * unknown commands or options, unknown variables, queries naming unknown fields.
 *
 * <h2>Thread safety</h2>
 * Immutable.
 */
public final class PlaybookParseException extends Exception {

    private final String file;
    private final int line;
    private final int column;
    private final String problem;

    /**
     * @param file    the playbook's name as the user gave it, never {@code null}
     * @param line    1-based line
     * @param column  1-based column; one past the last character for "expected more" errors
     * @param problem what is wrong, or what was expected
     */
    public PlaybookParseException(String file, int line, int column, String problem) {
        super(file + ":" + line + ":" + column + ": " + problem);
        this.file = file;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** The playbook's name as given; never {@code null}. */
    public String file() {
        return file;
    }

    /** The 1-based line of the problem. */
    public int line() {
        return line;
    }

    /** The 1-based column of the problem. */
    public int column() {
        return column;
    }

    /** What is wrong, without the position; never {@code null}. */
    public String problem() {
        return problem;
    }
}
