package io.routerctl.playbooks;

import java.time.Instant;

/**
 * How one {@code expect} or {@code wait-until} turned out.
 *
 * <h2>Thread safety</h2>
 * Immutable.
 *
 * @param line      its source line
 * @param statement the statement as run, e.g. {@code expect stuck.count == 0}
 * @param held      whether it held
 * @param actual    the value it last saw, e.g. {@code 12}; {@code none} when the query found nothing
 * @param note      a caveat (a truncated list; polls made), or {@code null}
 * @param at        when it was decided
 * @param document  the bundle file of the output it was evaluated on, e.g. {@code 03-dump-stuck.json}
 */
public record ExpectationResult(int line, String statement, boolean held, String actual, String note, Instant at,
                                String document) {
}
