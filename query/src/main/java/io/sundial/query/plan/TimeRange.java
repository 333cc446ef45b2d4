package io.sundial.query.plan;

/**
 * An inclusive range of nanosecond timestamps; {@code min > max} is the empty range. Unbounded
 * sides are {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE}.
 */
public record TimeRange(long min, long max) {
    public static final TimeRange ALL = new TimeRange(Long.MIN_VALUE, Long.MAX_VALUE);

    public boolean isEmpty() {
        return min > max;
    }

    public boolean hasMin() {
        return min != Long.MIN_VALUE;
    }

    public boolean hasMax() {
        return max != Long.MAX_VALUE;
    }

    public TimeRange intersect(TimeRange other) {
        return new TimeRange(Math.max(min, other.min), Math.min(max, other.max));
    }
}
