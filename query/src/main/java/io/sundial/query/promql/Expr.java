package io.sundial.query.promql;

import java.util.List;

/**
 * The PromQL syntax tree. Durations and times are milliseconds, as in Prometheus. Nodes are
 * compared by value, so a parsed, printed and re-parsed query equals the original tree.
 */
public sealed interface Expr {

    ValueType type();

    /** Where an {@code @} modifier pins evaluation: a fixed time, or the query's start or end. */
    sealed interface At {
        record Timestamp(long millis) implements At {
        }

        record Start() implements At {
        }

        record End() implements At {
        }
    }

    record NumberLiteral(double value) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.SCALAR;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NumberLiteral n && Double.compare(n.value, value) == 0;
        }

        @Override
        public int hashCode() {
            return Double.hashCode(value);
        }
    }

    record StringLiteral(String value) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.STRING;
        }
    }

    /** @param name the metric name written before the braces, or "" */
    record VectorSelector(String name, List<LabelMatcher> matchers, long offsetMillis, At at) implements Expr {
        public VectorSelector {
            matchers = List.copyOf(matchers);
        }

        @Override
        public ValueType type() {
            return ValueType.VECTOR;
        }

        VectorSelector withOffset(long offset) {
            return new VectorSelector(name, matchers, offset, at);
        }

        VectorSelector withAt(At newAt) {
            return new VectorSelector(name, matchers, offsetMillis, newAt);
        }
    }

    record MatrixSelector(VectorSelector selector, long rangeMillis) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.MATRIX;
        }
    }

    /** @param stepMillis 0 when the query leaves the step to the default */
    record Subquery(Expr expr, long rangeMillis, long stepMillis, long offsetMillis, At at) implements Expr {
        @Override
        public ValueType type() {
            return ValueType.MATRIX;
        }
    }

    record Call(Function function, List<Expr> args) implements Expr {
        public Call {
            args = List.copyOf(args);
        }

        @Override
        public ValueType type() {
            return function.returnType();
        }
    }

    /** @param param the k of topk, the φ of quantile, the label of count_values; else null */
    record Aggregate(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without) implements Expr {
        public Aggregate {
            grouping = List.copyOf(grouping);
        }

        @Override
        public ValueType type() {
            return ValueType.VECTOR;
        }
    }

    /**
     * @param matching the vector matching, null when either side is a scalar
     */
    record Binary(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool) implements Expr {
        @Override
        public ValueType type() {
            return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
                    ? ValueType.SCALAR : ValueType.VECTOR;
        }
    }

    /** @param negate true for unary minus; unary plus leaves its operand unchanged */
    record Unary(boolean negate, Expr expr) implements Expr {
        @Override
        public ValueType type() {
            return expr.type();
        }
    }

    record Paren(Expr expr) implements Expr {
        @Override
        public ValueType type() {
            return expr.type();
        }
    }

    enum Cardinality {
        ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY
    }

    /**
     * How the two sides of a vector operation pair up.
     *
     * @param on true for {@code on(labels)}, false for {@code ignoring(labels)} (or neither)
     * @param include the extra labels of group_left/group_right
     */
    record VectorMatching(Cardinality cardinality, List<String> labels, boolean on, List<String> include) {
        public VectorMatching {
            labels = List.copyOf(labels);
            include = List.copyOf(include);
        }
    }
}
