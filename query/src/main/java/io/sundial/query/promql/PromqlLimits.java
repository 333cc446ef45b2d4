package io.sundial.query.promql;

/**
 * The PromQL limits a server applies to every PromQL query ({@code /api/v1/query},
 * {@code /api/v1/query_range}): the samples one query may load and hold at once. Set once at server
 * start from the configuration ({@code promql-samples-max}); embedded use keeps the default.
 * Process-wide, as {@link io.sundial.query.QueryLimits} is for SundialQL, because each PromQL
 * request builds its own {@link PromQueryEngine}.
 *
 * @param samplesMax samples one query may load or hold in flight before it fails with a clear error
 */
public record PromqlLimits(long samplesMax) {
    /** Prometheus' {@code --query.max-samples} default. */
    public static final long SAMPLES_MAX_DEFAULT = 50_000_000L;

    private static volatile PromqlLimits current = defaults();

    public PromqlLimits {
        if (samplesMax <= 0) {
            throw new IllegalArgumentException("samplesMax must be positive: " + samplesMax);
        }
    }

    public static PromqlLimits defaults() {
        return new PromqlLimits(SAMPLES_MAX_DEFAULT);
    }

    /** The limits PromQL queries get now. */
    public static PromqlLimits current() {
        return current;
    }

    /** Replaces the limits for queries started from now on; returns the previous ones (tests restore them). */
    public static PromqlLimits set(PromqlLimits limits) {
        PromqlLimits previous = current;
        current = java.util.Objects.requireNonNull(limits, "limits");
        return previous;
    }
}
