package io.routerctl.playbooks.query;

/**
 * The right-hand side of an expectation.
 *
 * <h2>Thread safety</h2>
 * Immutable.
 *
 * @param written what the playbook wrote (after substitution), e.g. {@code 5s}
 * @param number  for a number or duration, its value (durations in milliseconds); else {@code NaN}
 * @param text    for text, the text; else {@code null}
 * @param duration whether it was written as a duration
 */
public record ExpectedValue(String written, double number, String text, boolean duration) {

    /** Whether this is a number or a duration. */
    public boolean isNumeric() {
        return text == null;
    }
}
