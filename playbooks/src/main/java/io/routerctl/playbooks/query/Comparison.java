package io.routerctl.playbooks.query;

/** The comparisons of an expectation, by their symbol. */
public enum Comparison {
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    /** What the user writes, for error messages. */
    public static final String ALL = "==, !=, <, <=, >, >=";

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    /** The symbol as written, e.g. {@code <=}. */
    public String symbol() {
        return symbol;
    }

    /** Whether this comparison only makes sense between numbers. */
    public boolean isOrdering() {
        return this != EQ && this != NE;
    }

    /** Whether {@code order} (negative, zero, positive as from {@code compare(actual, expected)}) satisfies this. */
    public boolean holds(int order) {
        return switch (this) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case GT -> order > 0;
            case GE -> order >= 0;
        };
    }
}
