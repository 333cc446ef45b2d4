package io.sundial.storage.codec;

import io.sundial.storage.io.ByteOutput;

/**
 * Booleans (0 or 1), either one bit each ({@link #BITMAP}) or as runs ({@link #RUNS}: the first
 * value, then Elias-gamma run lengths of alternating values), whichever is smaller. A flag that
 * rarely flips costs a few bytes per chunk as runs.
 */
final class BooleanCodec {
    static final int BITMAP = 0;
    static final int RUNS = 1;

    private BooleanCodec() {}

    static void encode(long[] values, int from, int to, ByteOutput out) {
        long runBits = 1;
        for (int i = from; i < to; ) {
            int run = runLength(values, i, to);
            runBits += 2L * ZigZag.bitLength(run) - 1;
            i += run;
        }
        BitWriter bits = new BitWriter(out);
        if (runBits < to - from) {
            bits.writeByte(RUNS);
            bits.write(values[from], 1);
            for (int i = from; i < to; ) {
                int run = runLength(values, i, to);
                TimestampCodec.writeGamma(bits, run);
                i += run;
            }
        } else {
            bits.writeByte(BITMAP);
            for (int i = from; i < to; i++) {
                bits.write(values[i], 1);
            }
        }
        bits.alignToByte();
    }

    private static int runLength(long[] values, int start, int to) {
        long value = values[start];
        if (value != 0 && value != 1) {
            throw new IllegalArgumentException("boolean value at index " + start + " is " + value + ", not 0 or 1");
        }
        int end = start + 1;
        while (end < to && values[end] == value) {
            end++;
        }
        return end - start;
    }

    static void decode(BitReader in, int count, long[] values, int offset) {
        int selector = in.readByte();
        switch (selector) {
            case BITMAP -> {
                for (int i = 0; i < count; i++) {
                    values[offset + i] = in.read(1);
                }
            }
            case RUNS -> {
                long value = in.read(1);
                for (int i = 0; i < count; ) {
                    int run = (int) in.readGamma(count - i);
                    for (int end = i + run; i < end; i++) {
                        values[offset + i] = value;
                    }
                    value ^= 1;
                }
            }
            default -> throw new ChunkFormatException("unknown boolean encoding " + selector);
        }
        in.alignToByte();
    }
}
