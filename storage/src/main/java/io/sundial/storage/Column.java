package io.sundial.storage;

import io.sundial.core.FieldType;

/**
 * The points of one field of one series: strictly increasing timestamps and their values, as
 * raw words (see {@link io.sundial.core.Point}) or strings. The arrays may be longer than
 * {@link #size()}; only [0, size) is meaningful. Owned by whoever received it.
 */
public record Column(FieldType type, long[] timestamps, long[] values, String[] strings, int size) {

    public static Column empty(FieldType type) {
        return new Column(type, new long[0], type == FieldType.STRING ? null : new long[0],
                type == FieldType.STRING ? new String[0] : null, 0);
    }

    public long timestamp(int i) {
        return timestamps[i];
    }

    public double doubleValue(int i) {
        return Double.longBitsToDouble(values[i]);
    }

    public long longValue(int i) {
        return values[i];
    }

    public boolean booleanValue(int i) {
        return values[i] != 0;
    }

    public String stringValue(int i) {
        return strings[i];
    }

    /** The value at {@code i} as a Java object: Double, Long (unsigned as Long bits), Boolean or String. */
    public Object value(int i) {
        return switch (type) {
            case FLOAT -> Double.longBitsToDouble(values[i]);
            case INTEGER, UNSIGNED -> values[i];
            case BOOLEAN -> values[i] != 0;
            case STRING -> strings[i];
        };
    }

    /** First index in {@code timestamps[0, size)} (sorted) whose timestamp is >= {@code t}. */
    public static int lowerBound(long[] timestamps, int size, long t) {
        return lowerBound(timestamps, 0, size, t);
    }

    /**
     * First index in {@code timestamps[from, size)} (sorted) whose timestamp is >= {@code t}, by
     * doubling steps from {@code from}, then bisection: a walk that looks up ascending times, each
     * a little past the previous one (a column keeping a few alive times), pays for the distance
     * moved, not for the whole rest of the column.
     */
    public static int lowerBound(long[] timestamps, int from, int size, long t) {
        if (from >= size || timestamps[from] >= t) {
            return from;
        }
        int below = from; // timestamps[below] < t
        int step = 1;
        while (below + step < size && timestamps[below + step] < t) {
            below += step;
            step <<= 1;
        }
        int lo = below + 1;
        int hi = Math.min(size, below + step);
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (timestamps[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index in {@code timestamps[0, size)} (sorted) whose timestamp is > {@code t}. */
    public static int upperBound(long[] timestamps, int size, long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (timestamps[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
