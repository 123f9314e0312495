package io.routerctl.probes.query;

/**
 * A query ran past its {@link QueryBudget} or was abandoned; the message says which, in one line.
 *
 * <h2>Thread safety</h2>
 * Immutable.
 */
public final class OverBudgetException extends RuntimeException {
    public OverBudgetException(String message) {
        super(message, null, false, false);
    }
}
