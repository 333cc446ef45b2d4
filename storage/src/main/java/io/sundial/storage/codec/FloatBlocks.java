package io.sundial.storage.codec;

/**
 * The hour-block table of a float chunk ({@link FloatHourBlockCodec}): block {@code b} holds the
 * chunk's points [starts[b], starts[b + 1]) from minTimes[b] to maxTimes[b]; its min, max (raw
 * double bits, Math.min/max order) and sum (in time order) cover every point, none being NaN.
 * Arrays are owned by the record; callers must not modify them.
 */
public record FloatBlocks(int centre, int[] starts, long[] minTimes, long[] maxTimes, long[] firsts, long[] mins,
                          long[] maxes, double[] sums, long[] streamStarts) {
    public int blockCount() {
        return minTimes.length;
    }

    /** Points in block {@code b}. */
    public int count(int b) {
        return starts[b + 1] - starts[b];
    }
}
