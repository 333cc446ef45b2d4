package io.sundial.storage.codec;

import io.sundial.storage.io.ByteOutput;

/**
 * Delta-of-delta timestamps, bit-packed (Gorilla, VLDB 2015, section 4.1.1) with one change
 * for regular series: a run of zero delta-of-deltas is one code with an Elias-gamma run length,
 * so a day of 10 s samples costs a few bytes instead of one bit per point.
 *
 * <p>All arithmetic wraps: deltas between timestamps far apart (Long.MIN_VALUE + 2 to
 * Long.MAX_VALUE - 1) overflow a long, but wrapping subtraction on encode and wrapping addition
 * on decode are inverse, so every strictly increasing sequence round-trips. The first delta is
 * coded as a delta-of-delta from an implicit previous delta of 0.
 */
final class TimestampCodec {
    static final int DELTA_OF_DELTA = 0;

    /** Payload widths of the zig-zagged delta-of-delta buckets '10', '110', '1110', '11110', '11111'. */
    static final int[] BUCKET_BITS = {7, 14, 26, 40, 64};

    private TimestampCodec() {}

    static void encode(long[] timestamps, int from, int to, ByteOutput out) {
        for (int i = from + 1; i < to; i++) {
            if (timestamps[i] <= timestamps[i - 1]) {
                throw new IllegalArgumentException("timestamps not strictly increasing at index " + i + ": "
                        + timestamps[i - 1] + " then " + timestamps[i]);
            }
        }
        BitWriter bits = new BitWriter(out);
        bits.writeByte(DELTA_OF_DELTA);
        bits.write(timestamps[from], 64);
        long previousDelta = 0;
        int i = from + 1;
        while (i < to) {
            long delta = timestamps[i] - timestamps[i - 1];
            long deltaOfDelta = delta - previousDelta;
            if (deltaOfDelta == 0) {
                int run = 1;
                while (i + run < to && timestamps[i + run] - timestamps[i + run - 1] == delta) {
                    run++;
                }
                bits.write(0, 1);
                writeGamma(bits, run);
                i += run;
            } else {
                writeBucketed(bits, ZigZag.encode(deltaOfDelta));
                i++;
            }
            previousDelta = delta;
        }
        bits.alignToByte();
    }

    private static void writeBucketed(BitWriter bits, long zigzag) {
        int length = ZigZag.bitLength(zigzag);
        for (int bucket = 0; bucket < BUCKET_BITS.length; bucket++) {
            if (length <= BUCKET_BITS[bucket]) {
                int prefixOnes = bucket + 1;
                // '1' * prefixOnes then '0', except the last bucket which has no terminating 0.
                if (bucket < BUCKET_BITS.length - 1) {
                    bits.write(((1L << prefixOnes) - 1) << 1, prefixOnes + 1);
                } else {
                    bits.write((1L << prefixOnes) - 1, prefixOnes);
                }
                bits.write(zigzag, BUCKET_BITS[bucket]);
                return;
            }
        }
        throw new AssertionError("a 64-bit value fits the last bucket");
    }

    static void writeGamma(BitWriter bits, long value) {
        int length = ZigZag.bitLength(value);
        bits.write(0, length - 1);
        bits.write(value, length);
    }

    static void decode(BitReader in, int count, long[] timestamps, int offset) {
        int selector = in.readByte();
        if (selector != DELTA_OF_DELTA) {
            throw new ChunkFormatException("unknown timestamp encoding " + selector);
        }
        long time = in.read(64);
        timestamps[offset] = time;
        long delta = 0;
        int i = 1;
        while (i < count) {
            if (in.peek(1) == 0) {
                in.skip(1);
                int run = (int) in.readGamma(count - i);
                // delta unchanged: a strictly increasing run needs delta > 0 and no wrap past MAX.
                // When the run provably stays below Long.MAX_VALUE, the fill is a plain loop the JIT
                // vectorizes; otherwise (a wrapped delta, an overflow) every step is checked.
                boolean isSafe = delta > 0 && Math.multiplyHigh(delta, run) == 0 && delta * run > 0
                        && time + delta * run > time;
                if (isSafe) {
                    int base = offset + i - 1;
                    for (int k = 1; k <= run; k++) {
                        timestamps[base + k] = time + delta * k;
                    }
                    i += run;
                    time += delta * run;
                    continue;
                }
                for (int end = i + run; i < end; i++) {
                    long next = time + delta;
                    if (next <= time) {
                        throw new ChunkFormatException("timestamps not increasing at point " + i);
                    }
                    timestamps[offset + i] = next;
                    time = next;
                }
            } else {
                int bucket = in.readOnes(BUCKET_BITS.length) - 1;
                delta += ZigZag.decode(in.read(BUCKET_BITS[bucket]));
                long next = time + delta;
                if (next <= time) {
                    throw new ChunkFormatException("timestamps not increasing at point " + i);
                }
                timestamps[offset + i] = next;
                time = next;
                i++;
            }
        }
        in.alignToByte();
    }

    /**
     * Walks the section like {@link #decode} (same checks) but stores only the timestamps of the
     * points {@code indexes[0, size)} (ascending) into {@code out}: a run is one multiplication, not
     * a fill, so the hour table of a long regular chunk gets its block times without materializing
     * thousands of timestamps. With {@code size == 0} it only skips the section.
     */
    static void timesAt(BitReader in, int count, int[] indexes, int size, long[] out) {
        int selector = in.readByte();
        if (selector != DELTA_OF_DELTA) {
            throw new ChunkFormatException("unknown timestamp encoding " + selector);
        }
        long time = in.read(64);
        int next = 0;
        while (next < size && indexes[next] == 0) {
            out[next++] = time;
        }
        long delta = 0;
        int i = 1;
        while (i < count) {
            if (in.peek(1) == 0) {
                in.skip(1);
                int run = (int) in.readGamma(count - i);
                boolean isSafe = delta > 0 && Math.multiplyHigh(delta, run) == 0 && delta * run > 0
                        && time + delta * run > time;
                if (isSafe) {
                    // Point i + k - 1 of the run is at time + delta * k.
                    while (next < size && indexes[next] < i + run) {
                        out[next] = time + delta * (indexes[next] - i + 1);
                        next++;
                    }
                    i += run;
                    time += delta * run;
                    continue;
                }
                for (int end = i + run; i < end; i++) {
                    long following = time + delta;
                    if (following <= time) {
                        throw new ChunkFormatException("timestamps not increasing at point " + i);
                    }
                    time = following;
                    while (next < size && indexes[next] == i) {
                        out[next++] = time;
                    }
                }
            } else {
                int bucket = in.readOnes(BUCKET_BITS.length) - 1;
                delta += ZigZag.decode(in.read(BUCKET_BITS[bucket]));
                long following = time + delta;
                if (following <= time) {
                    throw new ChunkFormatException("timestamps not increasing at point " + i);
                }
                time = following;
                while (next < size && indexes[next] == i) {
                    out[next++] = time;
                }
                i++;
            }
        }
        in.alignToByte();
    }

    /**
     * Walks the section like {@link #decode} but stores only the timestamps of the points in the
     * index spans {@code [spanStarts[k], spanEnds[k])} (ascending, disjoint, within [0, count)),
     * one after another from {@code out[0]}, and stops after the last span: a range read of a few
     * hour blocks of a long chunk materializes those hours, not the whole chunk (a run fills only
     * its overlap with each span). Returns the number of timestamps stored. The reader is left
     * inside the section.
     */
    static int decodeSpans(BitReader in, int count, int[] spanStarts, int[] spanEnds, int spans, long[] out) {
        int selector = in.readByte();
        if (selector != DELTA_OF_DELTA) {
            throw new ChunkFormatException("unknown timestamp encoding " + selector);
        }
        long time = in.read(64);
        int span = 0;
        int stored = 0;
        while (span < spans && spanEnds[span] <= 0) {
            span++;
        }
        if (span < spans && spanStarts[span] == 0) {
            out[stored++] = time;
        }
        long delta = 0;
        int i = 1;
        while (i < count && span < spans) {
            if (in.peek(1) == 0) {
                in.skip(1);
                int run = (int) in.readGamma(count - i);
                boolean isSafe = delta > 0 && Math.multiplyHigh(delta, run) == 0 && delta * run > 0
                        && time + delta * run > time;
                if (isSafe) {
                    // Point p of the run [i, i + run) is at time + delta * (p - i + 1).
                    int runEnd = i + run;
                    while (span < spans && spanStarts[span] < runEnd) {
                        long base = time - delta * (i - 1);
                        for (int p = Math.max(i, spanStarts[span]), to = Math.min(runEnd, spanEnds[span]); p < to; p++) {
                            out[stored++] = base + delta * p;
                        }
                        if (spanEnds[span] > runEnd) {
                            break;
                        }
                        span++;
                    }
                    i = runEnd;
                    time += delta * run;
                    continue;
                }
                for (int end = i + run; i < end; i++) {
                    long next = time + delta;
                    if (next <= time) {
                        throw new ChunkFormatException("timestamps not increasing at point " + i);
                    }
                    time = next;
                    while (span < spans && spanEnds[span] <= i) {
                        span++;
                    }
                    if (span < spans && spanStarts[span] <= i) {
                        out[stored++] = time;
                    }
                }
            } else {
                int bucket = in.readOnes(BUCKET_BITS.length) - 1;
                delta += ZigZag.decode(in.read(BUCKET_BITS[bucket]));
                long next = time + delta;
                if (next <= time) {
                    throw new ChunkFormatException("timestamps not increasing at point " + i);
                }
                time = next;
                while (span < spans && spanEnds[span] <= i) {
                    span++;
                }
                if (span < spans && spanStarts[span] <= i) {
                    out[stored++] = time;
                }
                i++;
            }
        }
        return stored;
    }
}
