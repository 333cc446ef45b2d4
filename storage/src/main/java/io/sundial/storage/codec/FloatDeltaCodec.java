package io.sundial.storage.codec;

import io.sundial.storage.io.BigEndian;

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
    /** Bits of the width code per width offset + 64 (offsets -64..64), the escape included. */
    private static final int[] OFFSET_CODE_BITS = new int[129];

    /**
     * Decode tables indexed by the next 4 bits, packed 4 bits per entry into constants so the hot
     * loop looks them up with a shift instead of an array load: the width offset plus
     * {@link #OFFSET_BIAS} ({@link #ESCAPE_ENTRY} for the escape) and the code length (the escape's
     * with its 7 width bits).
     */
    private static final int OFFSET_BIAS = 3;
    private static final int ESCAPE_ENTRY = 0xF;
    private static final long DECODE_OFFSETS;
    private static final long DECODE_BITS;
    /**
     * Per centre, the bits of code + payload per next 4 bits, one byte each: prefixes 0..7 in
     * {@code LOW}, 8..15 in {@code HIGH}. The escape prefix {@code 1110} is taken as the escape of
     * width 0 (10 bits), the one frequent in integer-valued series, which the loop confirms from
     * the head; {@link #SLOW_LENGTH} marks the escape of width 64 and widths outside [0, 64]. Every
     * 7-bit centre has tables: the encoder writes 0..64, but a damaged chunk must fail in
     * {@link #decodeOne} with a format error, not index past a table.
     */
    private static final long[] DECODE_LENGTHS_LOW = new long[1 << ABSOLUTE_WIDTH_BITS];
    private static final long[] DECODE_LENGTHS_HIGH = new long[1 << ABSOLUTE_WIDTH_BITS];
    /** Per centre, bit {@code p} set when prefix {@code p} codes a width >= 1 (its leading 1 is implied). */
    private static final int[] DECODE_NONZERO_WIDTHS = new int[1 << ABSOLUTE_WIDTH_BITS];
    private static final int SLOW_LENGTH = 0xFF;
    /** The first 10 bits of the escape of width 0, and the greatest of an escape of width 1..63. */
    private static final int ESCAPE_ZERO_HEAD = 0b1110_000000;
    private static final int ESCAPE_NARROW_HEAD_MAX = 0b1110_111111;

    static {
        long offsets = 0;
        long codeBits = 0;
        for (int next = 0; next < 16; next++) {
            long offsetEntry = ESCAPE_ENTRY;
            long bitsEntry = ESCAPE_CODE_BITS + ABSOLUTE_WIDTH_BITS;
            for (int k = 0; k < CODES.length; k++) {
                if (next >>> (4 - CODE_BITS[k]) == CODES[k]) {
                    offsetEntry = OFFSETS[k] + OFFSET_BIAS;
                    bitsEntry = CODE_BITS[k];
                }
            }
            offsets |= offsetEntry << (4 * next);
            codeBits |= bitsEntry << (4 * next);
        }
        DECODE_OFFSETS = offsets;
        DECODE_BITS = codeBits;
        for (int centre = 0; centre < DECODE_LENGTHS_LOW.length; centre++) {
            for (int next = 0; next < 16; next++) {
                long length = SLOW_LENGTH;
                int nonZero = 0;
                for (int k = 0; k < CODES.length; k++) {
                    int width = centre + OFFSETS[k];
                    if (next >>> (4 - CODE_BITS[k]) == CODES[k] && width >= 0 && width <= 64) {
                        length = CODE_BITS[k] + Math.max(width - 1, 0);
                        nonZero = width > 0 ? 1 : 0;
                    }
                }
                if (next >>> 1 == 0b111 && (next & 1) == 0) {
                    length = ESCAPE_CODE_BITS + ABSOLUTE_WIDTH_BITS;
                }
                if (next < 8) {
                    DECODE_LENGTHS_LOW[centre] |= length << (8 * next);
                } else {
                    DECODE_LENGTHS_HIGH[centre] |= length << (8 * (next - 8));
                }
                DECODE_NONZERO_WIDTHS[centre] |= nonZero << next;
            }
        }
        for (int offset = -64; offset <= 64; offset++) {
            int code = codeIndex(offset);
            OFFSET_CODE_BITS[offset + 64] = code >= 0 ? CODE_BITS[code] : ESCAPE_CODE_BITS + ABSOLUTE_WIDTH_BITS;
        }
    }

    private FloatDeltaCodec() {}

    static void encode(long[] values, int from, int to, BitWriter bits) {
        int[] widthCounts = new int[65];
        countWidths(values, from, to, widthCounts);
        encode(values, from, to, bestCentre(widthCounts), bits);
    }

    /** {@link #encode(long[], int, int, BitWriter)} with the centre already chosen from the chunk's width counts. */
    static void encode(long[] values, int from, int to, int centre, BitWriter bits) {
        bits.write(values[from], 64);
        bits.write(centre, ABSOLUTE_WIDTH_BITS);
        encodeDifferences(values, from, to, centre, bits);
    }

    /** Bits {@link #encodeDifferences} writes for differences with these bit lengths around {@code centre}. */
    static long differenceBits(int[] widthCounts, int centre) {
        long total = 0;
        for (int width = 0; width <= 64; width++) {
            if (widthCounts[width] != 0) {
                total += (long) widthCounts[width] * (codeBits(width - centre) + Math.max(width - 1, 0));
            }
        }
        return total;
    }

    /** Bits of the width code for a width {@code offset} (-64..64) from the centre, the escape included. */
    private static int codeBits(int offset) {
        return OFFSET_CODE_BITS[offset + 64];
    }

    /**
     * Per width 0..64, the bits {@link #encodeDifferences} writes for one difference of that width
     * around {@code centre} (code and payload): sizes streams from stored widths by table lookups.
     */
    static int[] bitsPerWidth(int centre) {
        int[] bits = new int[65];
        for (int width = 0; width <= 64; width++) {
            bits[width] = codeBits(width - centre) + Math.max(width - 1, 0);
        }
        return bits;
    }

    /** Adds the bit lengths of the differences of values[from, to) to {@code widthCounts} (65 entries). */
    static void countWidths(long[] values, int from, int to, int[] widthCounts) {
        for (int i = from + 1; i < to; i++) {
            widthCounts[ZigZag.bitLength(ZigZag.encode(values[i] - values[i - 1]))]++;
        }
    }

    /**
     * {@link #countWidths(long[], int, int, int[])} that also keeps each width: {@code widths[i - from]}
     * is the bit length of values[i] - values[i - 1] for i in (from, to), so later sizing passes (the
     * hour blocks' streams) are table lookups instead of recomputing every difference.
     */
    static void countWidths(long[] values, int from, int to, int[] widthCounts, byte[] widths) {
        for (int i = from + 1; i < to; i++) {
            int width = ZigZag.bitLength(ZigZag.encode(values[i] - values[i - 1]));
            widths[i - from] = (byte) width;
            widthCounts[width]++;
        }
    }

    /**
     * Writes the width codes and payloads of the differences of values[from, to) (not values[from]
     * itself). The loop packs into a local 64-bit word and stores whole words straight into the
     * output array, sized once for the worst case (an escape and a 63-bit payload per difference):
     * a {@link BitWriter#write} per code and payload checked the capacity and reloaded the writer's
     * fields on every call, which was the flush's and compaction's hottest code. Code and payload go
     * in as one piece when they fit in 64 bits (always for differences under 2^60); the bits are
     * the same as writing them one after the other.
     */
    static void encodeDifferences(long[] values, int from, int to, int centre, BitWriter bits) {
        if (to - from < 2) {
            return;
        }
        long[] heads = new long[65];
        int[] headBits = new int[65];
        for (int width = 0; width <= 64; width++) {
            int code = codeIndex(width - centre);
            heads[width] = code >= 0 ? CODES[code] : (0b111L << ABSOLUTE_WIDTH_BITS) | width;
            headBits[width] = code >= 0 ? CODE_BITS[code] : ESCAPE_CODE_BITS + ABSOLUTE_WIDTH_BITS;
        }
        long worstBits = (long) (to - from - 1) * (ESCAPE_CODE_BITS + ABSOLUTE_WIDTH_BITS + 63);
        byte[] buf = bits.reserveBytes(worstBits / 8 + 2 * Long.BYTES);
        int position = bits.bytePosition();
        long pending = bits.pendingWord();
        int pendingBits = bits.pendingBitCount();
        long previous = values[from];
        for (int i = from + 1; i < to; i++) {
            long value = values[i];
            long zigzag = ZigZag.encode(value - previous);
            previous = value;
            int width = ZigZag.bitLength(zigzag);
            int payloadBits = Math.max(width - 1, 0);
            long payload = zigzag ^ Long.highestOneBit(zigzag); // the leading 1 is implied
            long piece = heads[width];
            int pieceBits = headBits[width];
            if (pieceBits + payloadBits <= 64) {
                piece = (piece << payloadBits) | payload;
                pieceBits += payloadBits;
            } else {
                // An escape before a payload of 55 bits or more: the head goes in alone first.
                // Same packing as below; pieceBits < 64 here.
                int free = 64 - pendingBits;
                if (pieceBits < free) {
                    pending = (pending << pieceBits) | piece;
                    pendingBits += pieceBits;
                } else {
                    int rest = pieceBits - free;
                    BigEndian.putLong(buf, position, (pending << free) | (piece >>> rest));
                    position += Long.BYTES;
                    pendingBits = rest;
                    pending = piece & ~(-1L << rest);
                }
                piece = payload;
                pieceBits = payloadBits;
            }
            // Appends the low pieceBits (1..64) of piece. When the word is empty (free == 64),
            // pending is 0, so Java's shift by 64 (a shift by 0) still yields 0.
            int free = 64 - pendingBits;
            if (pieceBits < free) {
                pending = (pending << pieceBits) | piece;
                pendingBits += pieceBits;
            } else {
                int rest = pieceBits - free;
                BigEndian.putLong(buf, position, (pending << free) | (piece >>> rest));
                position += Long.BYTES;
                pendingBits = rest;
                pending = piece & ~(-1L << rest);
            }
        }
        bits.resume(position, pending, pendingBits);
    }

    private static int codeIndex(int offset) {
        for (int k = 0; k < OFFSETS.length; k++) {
            if (OFFSETS[k] == offset) {
                return k;
            }
        }
        return -1;
    }

    /**
     * The centre that minimises the code bits (the payload bits do not depend on it); the smallest
     * such centre on ties. Only the widths that occur are summed: a chunk has a dozen or so.
     */
    static int bestCentre(int[] widthCounts) {
        int[] present = new int[65];
        int presentCount = 0;
        for (int width = 0; width <= 64; width++) {
            if (widthCounts[width] != 0) {
                present[presentCount++] = width;
            }
        }
        int best = 0;
        long bestBits = Long.MAX_VALUE;
        for (int centre = 0; centre <= 64; centre++) {
            long total = 0;
            for (int p = 0; p < presentCount; p++) {
                int width = present[p];
                total += (long) widthCounts[width] * OFFSET_CODE_BITS[width - centre + 64];
            }
            if (total < bestBits) {
                best = centre;
                bestBits = total;
            }
        }
        return best;
    }

    /** Reads the first value and the centre, then the differences ({@link #decodeDifferences}). */
    static void decode(BitReader in, int count, long[] values, int offset) {
        long value = in.read(64);
        int centre = (int) in.read(ABSOLUTE_WIDTH_BITS);
        decodeDifferences(in, value, centre, count, values, offset);
    }

    /**
     * Decodes {@code count} values starting with {@code first}: {@code count - 1} width-coded
     * differences are read from {@code in}.
     *
     * <p>The loop's speed is set by its dependency chain, bit position -> word load -> length of
     * code and payload -> next bit position. It decodes two values per turn: both words of a window
     * of at least 121 bits are loaded at the pair's first position, so the second value's bits come
     * from shifts instead of a load that waits for the first value's length. Each length is one
     * lookup in the centre's packed table, and the escape of width 0 (a repeated value, a third of
     * the points of integer-valued series) is decoded there without a branch. Other escapes, widths
     * over the window and the chunk's last 64 bits take {@link #decodeOne}, the general step.
     */
    static void decodeDifferences(BitReader in, long first, int centre, int count, long[] values, int offset) {
        values[offset] = first;
        long position = in.positionBits();
        long limit = in.limitBits();
        long value = first;
        int i = 1;
        long lowLengths = DECODE_LENGTHS_LOW[centre];
        long highLengthsFlip = lowLengths ^ DECODE_LENGTHS_HIGH[centre];
        int nonZeroWidths = DECODE_NONZERO_WIDTHS[centre];
        // The window's second word is 8 bytes after the first: in the chunk while position <= limit - 64.
        long pairLimit = limit - 64;
        while (i + 1 < count && position <= pairLimit) {
            long word = in.wordAt(position);
            int bits = windowLength(word, lowLengths, highLengthsFlip);
            if (bits > 57 || isNarrowEscape(word)) {
                position = decodeOne(in, position, limit, centre, value, values, offset + i, i);
                value = values[offset + i];
                i++;
                continue;
            }
            value += windowDifference(word, bits, nonZeroWidths);
            values[offset + i] = value;
            // The 64 bits after the first value: word's rest, then the top of the next 8 bytes.
            long next = (word << bits) | (in.wordAfter(position) >>> (64 - (int) (position & 7) - bits));
            position += bits;
            int nextBits = windowLength(next, lowLengths, highLengthsFlip);
            if (nextBits > 64 || isNarrowEscape(next)) {
                i++;
                continue;
            }
            value += windowDifference(next, nextBits, nonZeroWidths);
            values[offset + i + 1] = value;
            position += nextBits;
            i += 2;
        }
        for (; i < count; i++) {
            position = decodeOne(in, position, limit, centre, value, values, offset + i, i);
            value = values[offset + i];
        }
        in.seek(position);
    }

    /**
     * Bits of code and payload of the difference at the top of {@code window}, from the centre's
     * table ({@code highLengthsFlip} is low ^ high, selected without a branch by the window's top
     * bit); an escape is taken as one of width 0, which {@link #isNarrowEscape} tells apart.
     */
    private static int windowLength(long window, long lowLengths, long highLengthsFlip) {
        return (int) ((lowLengths ^ (highLengthsFlip & (window >> 63))) >>> ((window >>> 57) & 0x38)) & 0xFF;
    }

    /** True for an escape of width 1..63 at the top of {@code window}: {@link #windowLength} is wrong for it. */
    private static boolean isNarrowEscape(long window) {
        int head = (int) (window >>> (64 - ESCAPE_CODE_BITS - ABSOLUTE_WIDTH_BITS));
        return head > ESCAPE_ZERO_HEAD && head <= ESCAPE_NARROW_HEAD_MAX;
    }

    /** The difference at the top of {@code window} whose code and payload take {@code bits} (<= 64) bits. */
    private static long windowDifference(long window, int bits, int nonZeroWidths) {
        int codeBits = (int) (DECODE_BITS >>> ((window >>> 58) & 0x3C)) & 0xF;
        // The payload's implied leading 1, absent for width 0.
        long implied = (long) (nonZeroWidths >>> (int) (window >>> 60)) << 63;
        return ZigZag.decode((((window << codeBits) >>> 1) | implied) >>> (63 + codeBits - bits));
    }

    /**
     * Decodes the difference at bit {@code position}, any code and width, stores
     * {@code previous + difference} at {@code values[index]} and returns the position after it.
     * Reads code and difference from one 64-bit load when they fit in its 57 guaranteed bits, else
     * from one or two more loads.
     */
    private static long decodeOne(BitReader in, long position, long limit, int centre, long previous, long[] values,
                                  int index, int point) {
        BitReader.checkWithin(position, limit);
        long word = in.wordAt(position);
        int shift = (int) (word >>> 60) << 2;
        int offsetEntry = (int) (DECODE_OFFSETS >>> shift) & 0xF;
        int codeBits = (int) (DECODE_BITS >>> shift) & 0xF;
        int width = offsetEntry != ESCAPE_ENTRY
                ? centre + offsetEntry - OFFSET_BIAS
                : (int) ((word << ESCAPE_CODE_BITS) >>> (64 - ABSOLUTE_WIDTH_BITS));
        if (width < 0 || width > 64) {
            throw new ChunkFormatException("float difference width " + width + " outside [0, 64] at point " + point);
        }
        int payloadBits = Math.max(width - 1, 0);
        long payload;
        long end;
        if (codeBits + payloadBits <= 57) {
            // ">>> 1 >>> (63 - n)" is ">>> (64 - n)" that also yields 0 for n == 0.
            payload = ((word << codeBits) >>> 1) >>> (63 - payloadBits);
            end = position + codeBits + payloadBits;
        } else {
            // Wide differences (full-precision doubles often have them): a second load at the
            // payload's first bit, and for payloads over 57 bits a third for their low part,
            // instead of BitReader.read's seek, peek and skip through the reader's fields.
            long payloadPosition = position + codeBits;
            BitReader.checkWithin(payloadPosition, limit);
            long next = in.wordAt(payloadPosition);
            if (payloadBits <= 57) {
                payload = (next >>> 1) >>> (63 - payloadBits);
            } else {
                BitReader.checkWithin(payloadPosition + 32, limit);
                int lowBits = payloadBits - 32;
                payload = ((next >>> 32) << lowBits) | (in.wordAt(payloadPosition + 32) >>> (64 - lowBits));
            }
            end = payloadPosition + payloadBits;
        }
        long zigzag = width <= 1 ? width : (1L << payloadBits) | payload;
        values[index] = previous + ZigZag.decode(zigzag);
        return end;
    }
}
