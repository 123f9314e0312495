package io.routerctl.console.context;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.List;
import java.util.Locale;

/**
 * What is wrong with a command line, in one readable phrase, for the command line itself
 * ({@code routerctl dump-stuck: unknown option '--older'; did you mean --older-than? (see ...)})
 * and for a playbook's check of its command lines alike.
 *
 * <h2>Thread safety</h2>
 * Stateless.
 */
public final class UsageProblems {

    private UsageProblems() {
    }

    /**
     * The problem {@code e} reports, as the tail of a sentence: {@code unknown option '--older';
     * did you mean --older-than?}, {@code --older-than: expected a duration like 500ms, ..., got
     * 'soon'}, {@code unknown command 'dumpstuck'; did you mean dump-stuck?}.
     */
    public static String describe(ParameterException e) {
        CommandLine cl = e.getCommandLine();
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            String what;
            if (first.startsWith("-")) {
                what = "unknown option '" + first + "'";
            } else if (cl.getParent() == null) {
                what = "unknown command '" + first + "'";
            } else {
                what = "unexpected argument '" + first + "'";
            }
            List<String> suggestions = u.getSuggestions();
            return suggestions.isEmpty() ? what : what + "; did you mean " + String.join(" or ", suggestions) + "?";
        }
        return tidy(e.getMessage());
    }

    /** Picocli's own messages, made to read as the tail of one sentence, on one line. */
    static String tidy(String message) {
        String m = message == null ? "invalid command line" : message.strip();
        m = m.replaceFirst("^Invalid value for option '([^']+)': ", "$1: ");
        m = m.replaceFirst("^Invalid value for positional parameter at index \\d+ \\(([^)]+)\\): ", "$1: ");
        m = m.replace("Unknown option: ", "unknown option ").replace("Unknown options: ", "unknown options ");
        m = m.replaceAll("Unmatched arguments? from index \\d+: ", "unexpected arguments ")
                .replaceAll("Unmatched argument at index \\d+: ", "unexpected argument ");
        while (m.endsWith(".")) {
            m = m.substring(0, m.length() - 1);
        }
        if (m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1))) {
            m = m.substring(0, 1).toLowerCase(Locale.ROOT) + m.substring(1);
        }
        return m.replace('\n', ' ').replace('\r', ' ');
    }
}
