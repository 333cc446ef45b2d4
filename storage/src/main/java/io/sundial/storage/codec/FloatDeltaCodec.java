package io.sundial.storage.codec;

/**
 * Floats as differences of their IEEE-754 bit patterns. For doubles of one sign the bit pattern
 * is monotone in the value, so a random walk of full-precision doubles has small bit
 * differences where Gorilla's XOR would smear the carry across the mantissa: a step of 1.0 at a
 * value near 50 is about 2^47 units in the last place, i.e. a 48-bit difference, while the XOR
 * keeps about 52 meaningful bits plus its window header.
 *
 * <p>Each zig-zagged difference {@code z} is written as its bit length {@code w} (0..64) followed
 * by the {@code w - 1} bits below its leading 1 (which is implied). Bit lengths of a random walk
 * cluster around one value, so {@code w} is coded relative to a per-chunk centre {@code c} chosen
 * by the encoder to minimise the total size:
 * <pre>
 *   00 -> c     01 -> c+1    100 -> c-1    101 -> c-2    1100 -> c-3    1101 -> c+2
 *   111 + 7 bits -> w given absolutely (0..64)
 * </pre>
 * The code lengths fit the bit-length distribution of a Gaussian step (c+1 and c are each about
 * 30 % likely, c-1 about 19 %, c-2 10 %, c-3 and c+2 about 5 %).
 */
final class FloatDeltaCodec {
    static final int ESCAPE_CODE_BITS = 3;
    static final int ABSOLUTE_WIDTH_BITS = 7;

    /** Width offsets from the centre that have a short code, and their codes and code lengths. */
    private static final int[] OFFSETS = {0, 1, -1, -2, -3, 2};
    private static final int[] CODES = {0b00, 0b01, 0b100, 0b101, 0b1100, 0b1101};
    private static final int[] CODE_BITS = {2, 2, 3, 3, 4, 4};

    /** Indexed by the next 4 bits: the width offset, or ESCAPE, and the code length. */
    private static final int ESCAPE = Integer.MIN_VALUE;
    private static final int[] DECODE_OFFSET = new int[16];
    private static final int[] DECODE_BITS = new int[16];

    static {
        for (int next = 0; next < 16; next++) {
            DECODE_OFFSET[next] = ESCAPE;
            DECODE_BITS[next] = ESCAPE_CODE_BITS;
            for (int k = 0; k < CODES.length; k++) {
                if (next >>> (4 - CODE_BITS[k]) == CODES[k]) {
                    DECODE_OFFSET[next] = OFFSETS[k];
                    DECODE_BITS[next] = CODE_BITS[k];
                }
            }
        }
    }

    private FloatDeltaCodec() {}

    static void encode(long[] values, int from, int to, BitWriter bits) {
        bits.write(values[from], 64);
        int[] widthCounts = new int[65];
        for (int i = from + 1; i < to; i++) {
            widthCounts[ZigZag.bitLength(ZigZag.encode(values[i] - values[i - 1]))]++;
        }
        int centre = bestCentre(widthCounts);
        bits.write(centre, ABSOLUTE_WIDTH_BITS);
        for (int i = from + 1; i < to; i++) {
            long zigzag = ZigZag.encode(values[i] - values[i - 1]);
            int width = ZigZag.bitLength(zigzag);
            int code = codeIndex(width - centre);
            if (code >= 0) {
                bits.write(CODES[code], CODE_BITS[code]);
            } else {
                bits.write(0b111, ESCAPE_CODE_BITS);
                bits.write(width, ABSOLUTE_WIDTH_BITS);
            }
            if (width > 1) {
                bits.write(zigzag, width - 1);
            }
        }
    }

    private static int codeIndex(int offset) {
        for (int k = 0; k < OFFSETS.length; k++) {
            if (OFFSETS[k] == offset) {
                return k;
            }
        }
        return -1;
    }

    private static int bestCentre(int[] widthCounts) {
        int best = 0;
        long bestBits = Long.MAX_VALUE;
        for (int centre = 0; centre <= 64; centre++) {
            long total = 0;
            for (int width = 0; width <= 64; width++) {
                if (widthCounts[width] != 0) {
                    int code = codeIndex(width - centre);
                    total += (long) widthCounts[width] * (code >= 0 ? CODE_BITS[code] : ESCAPE_CODE_BITS + ABSOLUTE_WIDTH_BITS);
                }
            }
            if (total < bestBits) {
                best = centre;
                bestBits = total;
            }
        }
        return best;
    }

    static void decode(BitReader in, int count, long[] values, int offset) {
        long value = in.read(64);
        values[offset] = value;
        int centre = (int) in.read(ABSOLUTE_WIDTH_BITS);
        for (int i = 1; i < count; i++) {
            int next = (int) in.peek(4);
            int widthOffset = DECODE_OFFSET[next];
            in.skip(DECODE_BITS[next]);
            int width = widthOffset == ESCAPE ? (int) in.read(ABSOLUTE_WIDTH_BITS) : centre + widthOffset;
            long zigzag;
            if (width > 1 && width <= 64) {
                zigzag = (1L << (width - 1)) | in.read(width - 1);
            } else if (width == 1 || width == 0) {
                zigzag = width;
            } else {
                throw new ChunkFormatException("float difference width " + width + " outside [0, 64] at point " + i);
            }
            value += ZigZag.decode(zigzag);
            values[offset + i] = value;
        }
    }
}
