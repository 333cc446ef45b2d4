package io.sundial.storage.codec;

import io.sundial.storage.io.ByteOutput;

/**
 * 64-bit integers (signed or unsigned: both are coded as wrapping differences of the raw words,
 * so the sign interpretation does not matter). Each chunk picks the smallest of:
 * <ul>
 *   <li>{@link #CONSTANT}: every value equal (a gauge that does not move, a flag counter);
 *   <li>{@link #DELTA_RICE}: zig-zag deltas Golomb-Rice coded with one parameter per chunk — the
 *       best fit for random walks with small steps (about 2.5 bits per value for steps of +-1);
 *   <li>{@link #DELTA_BLOCKS}: zig-zag deltas in blocks of {@link #BLOCK_VALUES}, each block
 *       frame-of-reference packed (block minimum + fixed width), which suits counters with a
 *       steady rate and wide or bursty deltas where a single Rice parameter fits badly.
 * </ul>
 */
final class IntegerCodec {
    static final int CONSTANT = 0;
    static final int DELTA_RICE = 1;
    static final int DELTA_BLOCKS = 2;

    static final int BLOCK_VALUES = 128;
    /** Quotients up to this are unary coded; larger ones escape to the raw 64-bit zig-zag value. */
    static final int RICE_QUOTIENT_MAX = 32;

    private IntegerCodec() {}

    static void encode(long[] values, int from, int to, ByteOutput out) {
        int count = to - from;
        BitWriter bits = new BitWriter(out);
        if (isConstant(values, from, to)) {
            bits.writeByte(CONSTANT);
            bits.write(values[from], 64);
            return;
        }
        long[] zigzags = new long[count - 1];
        for (int i = from + 1; i < to; i++) {
            zigzags[i - from - 1] = ZigZag.encode(values[i] - values[i - 1]);
        }
        int riceParameter = bestRiceParameter(zigzags);
        long riceBits = riceBits(zigzags, riceParameter);
        long blockBits = blockBits(zigzags);
        bits.writeByte(riceBits <= blockBits ? DELTA_RICE : DELTA_BLOCKS);
        bits.write(values[from], 64);
        if (riceBits <= blockBits) {
            writeRice(bits, zigzags, riceParameter);
        } else {
            writeBlocks(bits, zigzags);
        }
        bits.alignToByte();
    }

    private static boolean isConstant(long[] values, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (values[i] != values[from]) {
                return false;
            }
        }
        return true;
    }

    /** The parameter near log2 of the mean that costs least; the cost is convex around it. */
    private static int bestRiceParameter(long[] zigzags) {
        double mean = 0;
        for (long z : zigzags) {
            mean += unsignedToDouble(z) / zigzags.length;
        }
        int estimate = mean < 1 ? 0 : Math.min(63, (int) (Math.log(mean * Math.log(2)) / Math.log(2)));
        int best = Math.max(0, estimate);
        long bestBits = riceBits(zigzags, best);
        for (int k = Math.max(0, estimate - 3); k <= Math.min(63, estimate + 3); k++) {
            long candidate = riceBits(zigzags, k);
            if (candidate < bestBits) {
                best = k;
                bestBits = candidate;
            }
        }
        return best;
    }

    private static double unsignedToDouble(long value) {
        return value >= 0 ? value : (value >>> 1) * 2.0;
    }

    static long riceBits(long[] zigzags, int parameter) {
        long total = 6;
        for (long z : zigzags) {
            long quotient = z >>> parameter;
            total += quotient < RICE_QUOTIENT_MAX ? quotient + 1 + parameter : RICE_QUOTIENT_MAX + 64;
        }
        return total;
    }

    private static void writeRice(BitWriter bits, long[] zigzags, int parameter) {
        bits.write(parameter, 6);
        for (long z : zigzags) {
            long quotient = z >>> parameter;
            if (quotient < RICE_QUOTIENT_MAX) {
                // quotient ones then a zero, written as one field of quotient + 1 bits.
                bits.write(((1L << quotient) - 1) << 1, (int) quotient + 1);
                bits.write(z, parameter);
            } else {
                bits.write(-1L, RICE_QUOTIENT_MAX);
                bits.write(z, 64);
            }
        }
    }

    private static long blockBits(long[] zigzags) {
        long total = 0;
        for (int start = 0; start < zigzags.length; start += BLOCK_VALUES) {
            int end = Math.min(zigzags.length, start + BLOCK_VALUES);
            long min = blockMinimum(zigzags, start, end);
            total += 14 + ZigZag.bitLength(min) + (long) (end - start) * blockWidth(zigzags, start, end, min);
        }
        return total;
    }

    private static long blockMinimum(long[] zigzags, int start, int end) {
        long min = zigzags[start];
        for (int i = start + 1; i < end; i++) {
            if (Long.compareUnsigned(zigzags[i], min) < 0) {
                min = zigzags[i];
            }
        }
        return min;
    }

    private static int blockWidth(long[] zigzags, int start, int end, long min) {
        long orOfOffsets = 0;
        for (int i = start; i < end; i++) {
            orOfOffsets |= zigzags[i] - min;
        }
        return ZigZag.bitLength(orOfOffsets);
    }

    private static void writeBlocks(BitWriter bits, long[] zigzags) {
        for (int start = 0; start < zigzags.length; start += BLOCK_VALUES) {
            int end = Math.min(zigzags.length, start + BLOCK_VALUES);
            long min = blockMinimum(zigzags, start, end);
            int minBits = ZigZag.bitLength(min);
            int width = blockWidth(zigzags, start, end, min);
            bits.write(minBits, 7);
            bits.write(min, minBits);
            bits.write(width, 7);
            for (int i = start; i < end; i++) {
                bits.write(zigzags[i] - min, width);
            }
        }
    }

    static void decode(BitReader in, int count, long[] values, int offset) {
        int selector = in.readByte();
        long value = in.read(64);
        values[offset] = value;
        switch (selector) {
            case CONSTANT -> {
                for (int i = 1; i < count; i++) {
                    values[offset + i] = value;
                }
            }
            case DELTA_RICE -> decodeRice(in, count, values, offset, value);
            case DELTA_BLOCKS -> decodeBlocks(in, count, values, offset, value);
            default -> throw new ChunkFormatException("unknown integer encoding " + selector);
        }
        in.alignToByte();
    }

    /** One 64-bit load per value in the common case (quotient and remainder within 57 bits). */
    private static void decodeRice(BitReader in, int count, long[] values, int offset, long first) {
        int parameter = (int) in.read(6);
        long value = first;
        long position = in.positionBits();
        long limit = in.limitBits();
        for (int i = 1; i < count; i++) {
            BitReader.checkWithin(position, limit);
            long word = in.wordAt(position);
            int quotient = Long.numberOfLeadingZeros(~word);
            long zigzag;
            if (quotient < RICE_QUOTIENT_MAX && quotient + 1 + parameter <= 57) {
                long remainder = ((word << (quotient + 1)) >>> 1) >>> (63 - parameter);
                zigzag = ((long) quotient << parameter) | remainder;
                position += quotient + 1 + parameter;
            } else {
                in.seek(position);
                quotient = in.readOnes(RICE_QUOTIENT_MAX);
                zigzag = quotient < RICE_QUOTIENT_MAX ? ((long) quotient << parameter) | in.read(parameter) : in.read(64);
                position = in.positionBits();
            }
            value += ZigZag.decode(zigzag);
            values[offset + i] = value;
        }
        in.seek(position);
    }

    private static void decodeBlocks(BitReader in, int count, long[] values, int offset, long first) {
        long value = first;
        for (int start = 1; start < count; start += BLOCK_VALUES) {
            int end = Math.min(count, start + BLOCK_VALUES);
            long min = in.read(readWidth(in));
            int width = readWidth(in);
            for (int i = start; i < end; i++) {
                value += ZigZag.decode(min + in.read(width));
                values[offset + i] = value;
            }
        }
    }

    private static int readWidth(BitReader in) {
        int width = (int) in.read(7);
        if (width > 64) {
            throw new ChunkFormatException("bit width " + width + " over 64");
        }
        return width;
    }
}
