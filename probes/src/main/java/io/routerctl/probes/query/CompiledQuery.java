package io.routerctl.probes.query;

import io.routerctl.probes.snapshot.TaskQuery;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@link TaskQuery} with its filter compiled once, for a subscription that runs it every tick.
 *
 * @param query  the query
 * @param filter its compiled filter, or {@code null} when it has none
 *
 * <h2>Thread safety</h2>
 * Immutable; a {@link Pattern} is safe to share.
 */
public record CompiledQuery(TaskQuery query, Pattern filter) {

    /**
     * {@code query}, its filter compiled.
     *
     * @throws IllegalArgumentException if the filter is longer than {@link TaskQuery#MAX_FILTER_CHARS}
     *                                  or not a regular expression; the message says which
     */
    public static CompiledQuery of(TaskQuery query) {
        String f = query.filter();
        if (f == null || f.isEmpty()) {
            return new CompiledQuery(query, null);
        }
        if (f.length() > TaskQuery.MAX_FILTER_CHARS) {
            throw new IllegalArgumentException("the filter is " + f.length() + " characters long; at most "
                    + TaskQuery.MAX_FILTER_CHARS);
        }
        try {
            return new CompiledQuery(query, Pattern.compile(f));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("the filter is not a regular expression: " + e.getDescription()
                    + " near index " + e.getIndex(), e);
        }
    }
}
