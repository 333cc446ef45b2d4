package io.sundial.query.promql;

/**
 * One element of an instant vector. {@code timestampMillis} is the evaluation time, except
 * inside the evaluation where a selector's sample keeps its own time for {@code timestamp()}.
 */
public record Sample(Labels labels, long timestampMillis, double value) {

    /**
     * A sample value as Prometheus writes it in JSON and labels (Go's {@code FormatFloat(v, 'f', -1, 64)}):
     * shortest exact digits without exponent, {@code +Inf}, {@code -Inf}, {@code NaN}.
     */
    public static String formatValue(double value) {
        return Aggregations.formatValue(value);
    }

    /** {@link #formatValue} appended to {@code out}, without a String per value. */
    public static void appendValue(StringBuilder out, double value) {
        Aggregations.appendValue(out, value);
    }
}
