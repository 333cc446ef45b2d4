package io.sundial.storage.codec;

import io.sundial.storage.io.ByteOutput;

/**
 * Float columns (raw IEEE-754 words, so NaN payloads, -0.0 and infinities round-trip bit for bit).
 * The encoder tries every applicable encoding and keeps the smallest:
 * <ul>
 *   <li>{@link #AS_INTEGER}: every value is a whole number that converts to a long and back to
 *       the same bits (so not -0.0, NaN or beyond 2^63); the longs go through
 *       {@link IntegerCodec}. Integer gauges sent as floats (Prometheus, truncated metrics) shrink
 *       to a few bits per value;
 *   <li>{@link #BIT_DELTA}: {@link FloatDeltaCodec}, best for full-precision random walks;
 *   <li>{@link #XOR}: {@link FloatXorCodec}, best for repeated bit patterns;
 *   <li>{@link #HOUR_BLOCKS}: BIT_DELTA cut into UTC hours with a per-hour stats table
 *       ({@link FloatHourBlockCodec}), written instead of BIT_DELTA when BIT_DELTA wins, no value
 *       is NaN, the chunk spans two hours or more and the table costs at most
 *       {@link #BLOCK_TABLE_PERCENT_MAX} % over BIT_DELTA: queries then fold whole hours from the
 *       table and decode only the hours a time range touches.
 * </ul>
 */
final class FloatCodec {
    static final int AS_INTEGER = 0;
    static final int BIT_DELTA = 1;
    static final int XOR = 2;
    static final int HOUR_BLOCKS = 3;
    /**
     * Most the hour-block table may add to the BIT_DELTA size, in percent. At one point every 10 s
     * a block of 360 points costs about 31 bytes (1.4 %); at one point a minute it would cost 8 %,
     * more than the reads it speeds up are worth, so such chunks stay BIT_DELTA.
     */
    static final int BLOCK_TABLE_PERCENT_MAX = 2;

    private FloatCodec() {}

    static void encode(long[] timestamps, long[] values, int from, int to, ByteOutput out) {
        ByteOutput best = null;
        if (isWholeNumbers(values, from, to)) {
            long[] longs = new long[to - from];
            for (int i = from; i < to; i++) {
                longs[i - from] = (long) Double.longBitsToDouble(values[i]);
            }
            best = new ByteOutput(16 + (to - from));
            best.writeByte(AS_INTEGER);
            IntegerCodec.encode(longs, 0, longs.length, best);
        }
        ByteOutput delta = encodeWith(BIT_DELTA, values, from, to);
        best = smaller(best, delta);
        best = smaller(best, encodeWith(XOR, values, from, to));
        if (best == delta && FloatHourBlockCodec.blockCount(timestamps, from, to) >= 2
                && FloatHourBlockCodec.hasNoNaN(values, from, to)) {
            ByteOutput blocks = new ByteOutput(delta.size() + 64);
            BitWriter bits = new BitWriter(blocks);
            bits.writeByte(HOUR_BLOCKS);
            FloatHourBlockCodec.encode(timestamps, values, from, to, bits);
            bits.alignToByte();
            if (blocks.size() * 100L <= delta.size() * (100L + BLOCK_TABLE_PERCENT_MAX)) {
                best = blocks;
            }
        }
        out.writeBytes(best.array(), 0, best.size());
    }

    private static ByteOutput smaller(ByteOutput current, ByteOutput candidate) {
        return current == null || candidate.size() < current.size() ? candidate : current;
    }

    private static ByteOutput encodeWith(int selector, long[] values, int from, int to) {
        ByteOutput out = new ByteOutput(16 + 9 * (to - from));
        BitWriter bits = new BitWriter(out);
        bits.writeByte(selector);
        if (selector == BIT_DELTA) {
            FloatDeltaCodec.encode(values, from, to, bits);
        } else {
            FloatXorCodec.encode(values, from, to, bits);
        }
        bits.alignToByte();
        return out;
    }

    /** True when decoding the values as longs converted back to double gives the same bits. */
    static boolean isWholeNumbers(long[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            double value = Double.longBitsToDouble(values[i]);
            if (Double.doubleToRawLongBits((double) (long) value) != values[i]) {
                return false;
            }
        }
        return true;
    }

    /** Decodes the section; {@code timestamps[offset, offset + count)} are the chunk's, already decoded. */
    static void decode(BitReader in, int count, long[] timestamps, long[] values, int offset) {
        int selector = in.readByte();
        switch (selector) {
            case AS_INTEGER -> {
                IntegerCodec.decode(in, count, values, offset);
                for (int i = offset; i < offset + count; i++) {
                    values[i] = Double.doubleToRawLongBits((double) values[i]);
                }
            }
            case BIT_DELTA -> FloatDeltaCodec.decode(in, count, values, offset);
            case XOR -> FloatXorCodec.decode(in, count, values, offset);
            case HOUR_BLOCKS -> {
                FloatBlocks table = FloatHourBlockCodec.readTable(in, count, timestamps, offset);
                FloatHourBlockCodec.decodeBlocks(in, table, 0, table.blockCount(), values, offset);
            }
            default -> throw new ChunkFormatException("unknown float encoding " + selector);
        }
        in.alignToByte();
    }
}
