package io.sundial.storage;

/**
 * Time partitioning: partition k covers [k * duration, (k + 1) * duration). Bounds saturate at
 * the ends of the long range instead of overflowing, since timestamps may be anywhere in it.
 */
final class Partitions {
    private Partitions() {}

    static long index(long timestamp, long durationNanos) {
        return Math.floorDiv(timestamp, durationNanos);
    }

    static long start(long index, long durationNanos) {
        long high = Math.multiplyHigh(index, durationNanos);
        long low = index * durationNanos;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
            return low;
        }
        return index < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }

    /** Exclusive end. */
    static long end(long index, long durationNanos) {
        long start = start(index, durationNanos);
        return start > Long.MAX_VALUE - durationNanos ? Long.MAX_VALUE : start + durationNanos;
    }
}
