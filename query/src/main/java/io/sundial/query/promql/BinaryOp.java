package io.sundial.query.promql;

/**
 * Binary operators with Prometheus' precedence (higher binds tighter): or; and unless;
 * comparisons; + -; * / % atan2; ^ (right-associative).
 */
public enum BinaryOp {
    OR("or", 1), AND("and", 2), UNLESS("unless", 2),
    EQ("==", 3), NE("!=", 3), GT(">", 3), LT("<", 3), GE(">=", 3), LE("<=", 3),
    ADD("+", 4), SUB("-", 4),
    MUL("*", 5), DIV("/", 5), MOD("%", 5), ATAN2("atan2", 5),
    POW("^", 6);

    /** The precedence unary minus and plus take (Prometheus: {@code %prec MUL}). */
    static final int UNARY_PRECEDENCE = 5;

    private final String symbol;
    private final int precedence;

    BinaryOp(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    public String symbol() {
        return symbol;
    }

    public int precedence() {
        return precedence;
    }

    public boolean isRightAssociative() {
        return this == POW;
    }

    public boolean isComparison() {
        return precedence == 3;
    }

    public boolean isSetOperator() {
        return this == AND || this == OR || this == UNLESS;
    }
}
