package io.sundial.ingest.remotewrite;

/**
 * Encodes samples as a Prometheus XOR chunk ({@code chunkenc.EncXOR}), the chunk format of
 * remote read's STREAMED_XOR_CHUNKS answers. Layout, bit for bit as Prometheus' xorAppender
 * writes it (tsdb/chunkenc/xor.go):
 *
 * <pre>
 * uint16 big-endian   number of samples
 * sample 0            varint (zigzag) timestamp, then 64 bits of the value
 * sample 1            uvarint timestamp delta, then the value as XOR with the previous
 * sample n >= 2       delta-of-delta: '0' | '10'+14 bits | '110'+17 bits | '1110'+20 bits | '1111'+64 bits,
 *                     then the value as XOR with the previous
 * value XOR           '0' if equal; else '1', then '0' + the meaningful bits inside the previous
 *                     leading/trailing window, or '1' + 5 bits leading zeros (capped at 31)
 *                     + 6 bits significant-bit count (64 written as 0) + those bits
 * </pre>
 *
 * Bits are written most significant first; the last byte is padded with zeros.
 */
public final class XorChunkEncoder {
    /** Most samples per chunk: the header counts in 16 bits; Prometheus cuts chunks at 120. */
    public static final int SAMPLES_PER_CHUNK_MAX = 120;

    private byte[] bytes = new byte[128];
    private int bitLength;
    private int count;
    private long lastTimestamp;
    private long lastDelta;
    private long lastValueBits;
    private int leading = 0xff;
    private int trailing;

    private XorChunkEncoder() {
        bitLength = 16; // the sample count, filled in by finish()
    }

    /** The chunk bytes of samples {@code [from, to)}; at most {@link #SAMPLES_PER_CHUNK_MAX}. */
    public static byte[] encode(long[] timestampsMillis, long[] valueBits, int from, int to) {
        if (to - from > SAMPLES_PER_CHUNK_MAX || to <= from) {
            throw new IllegalArgumentException("a chunk holds 1 to " + SAMPLES_PER_CHUNK_MAX + " samples, got " + (to - from));
        }
        XorChunkEncoder encoder = new XorChunkEncoder();
        for (int i = from; i < to; i++) {
            encoder.append(timestampsMillis[i], valueBits[i]);
        }
        return encoder.finish();
    }

    private void append(long timestamp, long value) {
        if (count == 0) {
            long zigzag = (timestamp << 1) ^ (timestamp >> 63);
            writeVarintBytes(zigzag);
            writeBits(value, 64);
        } else if (count == 1) {
            lastDelta = timestamp - lastTimestamp;
            writeVarintBytes(lastDelta);
            writeValue(value);
        } else {
            long delta = timestamp - lastTimestamp;
            long dod = delta - lastDelta;
            if (dod == 0) {
                writeBits(0, 1);
            } else if (fitsIn(dod, 14)) {
                writeBits(0b10, 2);
                writeBits(dod, 14);
            } else if (fitsIn(dod, 17)) {
                writeBits(0b110, 3);
                writeBits(dod, 17);
            } else if (fitsIn(dod, 20)) {
                writeBits(0b1110, 4);
                writeBits(dod, 20);
            } else {
                writeBits(0b1111, 4);
                writeBits(dod, 64);
            }
            lastDelta = delta;
            writeValue(value);
        }
        lastTimestamp = timestamp;
        lastValueBits = value;
        count++;
    }

    /** Prometheus' bitRange: -(2^(n-1) - 1) <= x <= 2^(n-1). */
    private static boolean fitsIn(long x, int bits) {
        return -((1L << (bits - 1)) - 1) <= x && x <= (1L << (bits - 1));
    }

    private void writeValue(long value) {
        long xor = value ^ lastValueBits;
        if (xor == 0) {
            writeBits(0, 1);
            return;
        }
        writeBits(1, 1);
        int newLeading = Math.min(Long.numberOfLeadingZeros(xor), 31);
        int newTrailing = Long.numberOfTrailingZeros(xor);
        if (leading != 0xff && newLeading >= leading && newTrailing >= trailing) {
            writeBits(0, 1);
            writeBits(xor >>> trailing, 64 - leading - trailing);
        } else {
            leading = newLeading;
            trailing = newTrailing;
            int significant = 64 - leading - trailing;
            writeBits(1, 1);
            writeBits(leading, 5);
            writeBits(significant, 6); // 64 does not fit: its low 6 bits are 0, read back as 64
            writeBits(xor >>> trailing, significant);
        }
    }

    private void writeVarintBytes(long value) {
        long v = value;
        while ((v & ~0x7fL) != 0) {
            writeBits((v & 0x7f) | 0x80, 8);
            v >>>= 7;
        }
        writeBits(v, 8);
    }

    /** Appends the low {@code width} bits of {@code value}, most significant first. */
    private void writeBits(long value, int width) {
        for (int bit = width - 1; bit >= 0; bit--) {
            if ((bitLength >>> 3) == bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
            }
            if (((value >>> bit) & 1) != 0) {
                bytes[bitLength >>> 3] |= (byte) (0x80 >>> (bitLength & 7));
            }
            bitLength++;
        }
    }

    private byte[] finish() {
        bytes[0] = (byte) (count >>> 8);
        bytes[1] = (byte) count;
        return java.util.Arrays.copyOf(bytes, (bitLength + 7) >>> 3);
    }
}
