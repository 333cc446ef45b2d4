package io.sundial.query.promql;

import java.util.Locale;

/** The aggregation operators; those with a parameter take it as their first argument. */
public enum AggregateOp {
    SUM, AVG, COUNT, MIN, MAX, GROUP, STDDEV, STDVAR, TOPK, BOTTOMK, QUANTILE, COUNT_VALUES;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The operator spelled {@code word} (case-insensitive, as Prometheus' lexer), or null. */
    public static AggregateOp byKeyword(String word) {
        for (AggregateOp op : values()) {
            if (op.keyword().equalsIgnoreCase(word)) {
                return op;
            }
        }
        return null;
    }

    public boolean hasParameter() {
        return this == TOPK || this == BOTTOMK || this == QUANTILE || this == COUNT_VALUES;
    }

    public ValueType parameterType() {
        return this == COUNT_VALUES ? ValueType.STRING : ValueType.SCALAR;
    }
}
