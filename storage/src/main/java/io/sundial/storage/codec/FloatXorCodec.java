package io.sundial.storage.codec;

/**
 * Gorilla XOR floats (Pelkonen et al., VLDB 2015, section 4.1.2), the fallback for series whose
 * values repeat bit patterns (few distinct values, decimals with trailing zero bits) where XOR
 * beats arithmetic differences. Leading zeros take 6 bits (not Gorilla's 5) so no leading zeros
 * are ever given away, and the meaningful length is stored minus one so 64 fits in 6 bits.
 * <pre>
 *   0                         value equals the previous one
 *   10 + meaningful bits      XOR fits the previous window of leading/trailing zeros
 *   11 + 6 bits leading zeros + 6 bits (length - 1) + length bits
 * </pre>
 */
final class FloatXorCodec {
    private FloatXorCodec() {}

    static void encode(long[] values, int from, int to, BitWriter bits) {
        bits.write(values[from], 64);
        int windowLeading = -1;
        int windowTrailing = 0;
        for (int i = from + 1; i < to; i++) {
            long xor = values[i] ^ values[i - 1];
            if (xor == 0) {
                bits.write(0, 1);
                continue;
            }
            int leading = Long.numberOfLeadingZeros(xor);
            int trailing = Long.numberOfTrailingZeros(xor);
            if (windowLeading >= 0 && leading >= windowLeading && trailing >= windowTrailing) {
                bits.write(0b10, 2);
                bits.write(xor >>> windowTrailing, 64 - windowLeading - windowTrailing);
            } else {
                int length = 64 - leading - trailing;
                bits.write(0b11, 2);
                bits.write(leading, 6);
                bits.write(length - 1, 6);
                bits.write(xor >>> trailing, length);
                windowLeading = leading;
                windowTrailing = trailing;
            }
        }
    }

    /** Bits {@link #encode} writes for values[from, to), counted without writing them. */
    static long sizeBits(long[] values, int from, int to) {
        long total = 64;
        int windowLeading = -1;
        int windowTrailing = 0;
        for (int i = from + 1; i < to; i++) {
            long xor = values[i] ^ values[i - 1];
            if (xor == 0) {
                total += 1;
                continue;
            }
            int leading = Long.numberOfLeadingZeros(xor);
            int trailing = Long.numberOfTrailingZeros(xor);
            if (windowLeading >= 0 && leading >= windowLeading && trailing >= windowTrailing) {
                total += 2 + 64 - windowLeading - windowTrailing;
            } else {
                total += 2 + 6 + 6 + 64 - leading - trailing;
                windowLeading = leading;
                windowTrailing = trailing;
            }
        }
        return total;
    }

    static void decode(BitReader in, int count, long[] values, int offset) {
        long value = in.read(64);
        values[offset] = value;
        int windowLeading = -1;
        int windowTrailing = 0;
        for (int i = 1; i < count; i++) {
            int control = (int) in.peek(2);
            if (control < 0b10) {
                in.skip(1);
            } else {
                in.skip(2);
                if (control == 0b11) {
                    windowLeading = (int) in.read(6);
                    int length = (int) in.read(6) + 1;
                    windowTrailing = 64 - windowLeading - length;
                    if (windowTrailing < 0) {
                        throw new ChunkFormatException("XOR window of " + windowLeading + " leading zeros and "
                                + length + " bits exceeds 64 at point " + i);
                    }
                } else if (windowLeading < 0) {
                    throw new ChunkFormatException("XOR reuses a window before any was set at point " + i);
                }
                value ^= in.read(64 - windowLeading - windowTrailing) << windowTrailing;
            }
            values[offset + i] = value;
        }
    }
}
