package io.routerctl.playbooks.query;

/**
 * A query met a document it cannot read: a field its schema promises is missing or of the wrong
 * type (the command printed something else than documented). The playbook stops with exit 2.
 */
public final class QueryException extends Exception {
    public QueryException(String message) {
        super(message);
    }
}
