package io.sundial.storage.segment;

import io.sundial.core.FieldType;
import java.math.BigInteger;

/**
 * What the planner knows about a chunk without decoding it. Values are raw 64-bit words as in
 * {@link io.sundial.core.Point}; how to read each depends on the chunk's type:
 *
 * <ul>
 *   <li>FLOAT: {@code min}, {@code max} are double bits of the smallest and largest non-NaN
 *       values (NaN bits when every value is NaN), {@code sum} is the double sum of the non-NaN
 *       values in time order, {@code first}/{@code last} are raw words (a NaN payload such as
 *       Prometheus' stale marker survives), {@code nanCount} counts NaNs.
 *   <li>INTEGER / UNSIGNED: {@code min}/{@code max} in signed resp. unsigned order;
 *       {@code sumExact} is the sum modulo 2^64 (signed resp. unsigned) and exact unless
 *       {@code isSumOverflowed}; {@code sum} is the exact sum rounded to a double.
 *   <li>BOOLEAN: {@code trueCount}; {@code min}/{@code max}/{@code first}/{@code last} are 0 or 1;
 *       {@code sum} and {@code sumExact} equal {@code trueCount}.
 *   <li>STRING: only the chunk's count and time range are kept; every field here is 0.
 * </ul>
 */
public record ChunkStats(long min, long max, double sum, long sumExact, boolean isSumOverflowed,
                         long first, long last, int nanCount, int trueCount) {

    static final ChunkStats NONE = new ChunkStats(0, 0, 0.0, 0, false, 0, 0, 0, 0);
    private static final long CANONICAL_NAN_BITS = Double.doubleToRawLongBits(Double.NaN);

    public double minAsDouble() {
        return Double.longBitsToDouble(min);
    }

    public double maxAsDouble() {
        return Double.longBitsToDouble(max);
    }

    /** Computes the stats of {@code values[from, to)}, which must not be empty. */
    public static ChunkStats compute(FieldType type, long[] values, int from, int to) {
        if (to <= from) {
            throw new IllegalArgumentException("stats of an empty range [" + from + ", " + to + ")");
        }
        return switch (type) {
            case FLOAT -> ofFloats(values, from, to);
            case INTEGER -> ofIntegers(values, from, to, false);
            case UNSIGNED -> ofIntegers(values, from, to, true);
            case BOOLEAN -> ofBooleans(values, from, to);
            case STRING -> NONE;
        };
    }

    private static ChunkStats ofFloats(long[] values, int from, int to) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0.0;
        int nanCount = 0;
        for (int i = from; i < to; i++) {
            double v = Double.longBitsToDouble(values[i]);
            if (Double.isNaN(v)) {
                nanCount++;
            } else {
                // Math.min/max order -0.0 below 0.0, so the result does not depend on arrival order.
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
        }
        boolean isAllNaN = nanCount == to - from;
        long minBits = isAllNaN ? CANONICAL_NAN_BITS : Double.doubleToRawLongBits(min);
        long maxBits = isAllNaN ? CANONICAL_NAN_BITS : Double.doubleToRawLongBits(max);
        return new ChunkStats(minBits, maxBits, sum, 0, false, values[from], values[to - 1], nanCount, 0);
    }

    private static ChunkStats ofIntegers(long[] values, int from, int to, boolean isUnsigned) {
        long min = values[from];
        long max = values[from];
        // A 128-bit accumulator (high, low) keeps the sum exact however many values overflow.
        long low = 0;
        long high = 0;
        for (int i = from; i < to; i++) {
            long v = values[i];
            if (isUnsigned) {
                if (Long.compareUnsigned(v, min) < 0) {
                    min = v;
                }
                if (Long.compareUnsigned(v, max) > 0) {
                    max = v;
                }
            } else {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            long sumLow = low + v;
            long carry = Long.compareUnsigned(sumLow, low) < 0 ? 1 : 0;
            high += carry + (isUnsigned ? 0 : (v >> 63));
            low = sumLow;
        }
        boolean isOverflowed = isUnsigned ? high != 0 : high != (low >> 63);
        double sum;
        if (isOverflowed) {
            sum = BigInteger.valueOf(high).shiftLeft(64).add(unsigned(low)).doubleValue();
        } else {
            sum = isUnsigned ? unsignedToDouble(low) : (double) low;
        }
        return new ChunkStats(min, max, sum, low, isOverflowed, values[from], values[to - 1], 0, 0);
    }

    private static ChunkStats ofBooleans(long[] values, int from, int to) {
        int trueCount = 0;
        for (int i = from; i < to; i++) {
            if (values[i] != 0) {
                trueCount++;
            }
        }
        long min = trueCount == to - from ? 1 : 0;
        long max = trueCount > 0 ? 1 : 0;
        return new ChunkStats(min, max, trueCount, trueCount, false, values[from], values[to - 1], 0, trueCount);
    }

    static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v & Long.MAX_VALUE);
        return v < 0 ? b.setBit(63) : b;
    }

    static double unsignedToDouble(long v) {
        return v >= 0 ? (double) v : unsigned(v).doubleValue();
    }
}
