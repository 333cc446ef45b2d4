package io.sundial.storage.codec;

import io.sundial.storage.io.ByteOutput;

/**
 * Float columns (raw IEEE-754 words, so NaN payloads, -0.0 and infinities round-trip bit for bit).
 * The encoder sizes every applicable encoding and writes the smallest:
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

    /** Per-thread buffers of the AS_INTEGER candidate: flushes and compactions encode on several threads. */
    private static final ThreadLocal<long[]> SCRATCH_LONGS = ThreadLocal.withInitial(() -> new long[1024]);
    /** Per-thread widths of the differences, kept from the sizing pass for the hour blocks' sizes. */
    private static final ThreadLocal<byte[]> SCRATCH_WIDTHS = ThreadLocal.withInitial(() -> new byte[1024]);
    private static final ThreadLocal<ByteOutput> SCRATCH_INTEGERS = ThreadLocal.withInitial(() -> new ByteOutput(1024));

    private FloatCodec() {}

    /**
     * Sizes every candidate exactly without writing it (BIT_DELTA and HOUR_BLOCKS from the bit
     * lengths of the differences, XOR from a counting pass), then encodes only the smallest
     * straight into {@code out}. Writing every candidate into its own buffer and copying the
     * winner allocated about 27 bytes per flushed value and tripled the encoding work; the bytes
     * written, including the choice between candidates of equal size, are the same.
     */
    static void encode(long[] timestamps, long[] values, int from, int to, ByteOutput out) {
        ByteOutput integers = null;
        long bestBytes = Long.MAX_VALUE;
        int best = -1;
        if (isWholeNumbers(values, from, to)) {
            integers = wholeNumbers(values, from, to);
            bestBytes = 1 + integers.size();
            best = AS_INTEGER;
        }
        byte[] widths = scratchWidths(to - from);
        int[] widthCounts = new int[65];
        FloatDeltaCodec.countWidths(values, from, to, widthCounts, widths);
        int centre = FloatDeltaCodec.bestCentre(widthCounts);
        long deltaBytes = 1 + bytesOf(64 + FloatDeltaCodec.ABSOLUTE_WIDTH_BITS
                + FloatDeltaCodec.differenceBits(widthCounts, centre));
        if (deltaBytes < bestBytes) {
            bestBytes = deltaBytes;
            best = BIT_DELTA;
        }
        long xorBytes = 1 + bytesOf(FloatXorCodec.sizeBits(values, from, to));
        if (xorBytes < bestBytes) {
            best = XOR;
        }
        FloatHourBlockCodec.Layout blocks = null;
        int[] starts = best == BIT_DELTA ? FloatHourBlockCodec.blockStarts(timestamps, from, to) : null;
        if (starts != null && starts.length - 1 >= 2 && FloatHourBlockCodec.hasNoNaN(values, from, to)) {
            blocks = FloatHourBlockCodec.layout(starts, widths, widthCounts, from);
            if ((1 + blocks.bytes()) * 100L > deltaBytes * (100L + BLOCK_TABLE_PERCENT_MAX)) {
                blocks = null;
            }
        }
        BitWriter bits = new BitWriter(out);
        if (blocks != null) {
            bits.writeByte(HOUR_BLOCKS);
            FloatHourBlockCodec.encode(blocks, values, bits);
        } else if (best == AS_INTEGER) {
            out.writeByte(AS_INTEGER);
            out.writeBytes(integers.array(), 0, integers.size());
        } else if (best == BIT_DELTA) {
            bits.writeByte(BIT_DELTA);
            FloatDeltaCodec.encode(values, from, to, centre, bits);
        } else {
            bits.writeByte(XOR);
            FloatXorCodec.encode(values, from, to, bits);
        }
        bits.alignToByte();
    }

    /** A per-thread array of at least {@code size} bytes for the widths of a chunk's differences. */
    private static byte[] scratchWidths(int size) {
        byte[] widths = SCRATCH_WIDTHS.get();
        if (widths.length < size) {
            widths = new byte[Math.max(size, Math.min(ChunkCodec.POINTS_MAX, widths.length * 2))];
            SCRATCH_WIDTHS.set(widths);
        }
        return widths;
    }

    /** Bytes of a byte-aligned section of {@code bits} bits. */
    private static long bytesOf(long bits) {
        return (bits + 7) >>> 3;
    }

    /** The AS_INTEGER section after its selector, in a per-thread buffer (valid until the next call). */
    private static ByteOutput wholeNumbers(long[] values, int from, int to) {
        long[] longs = SCRATCH_LONGS.get();
        if (longs.length < to - from) {
            longs = new long[Math.max(to - from, Math.min(ChunkCodec.POINTS_MAX, longs.length * 2))];
            SCRATCH_LONGS.set(longs);
        }
        for (int i = from; i < to; i++) {
            longs[i - from] = (long) Double.longBitsToDouble(values[i]);
        }
        ByteOutput integers = SCRATCH_INTEGERS.get();
        integers.reset();
        IntegerCodec.encode(longs, 0, to - from, integers);
        return integers;
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
