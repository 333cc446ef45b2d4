package io.sundial.storage.codec;

import io.sundial.storage.io.BigEndian;

/**
 * Reads the big-endian bit stream written by {@link BitWriter} from a byte array that carries
 * {@link #PADDING_BYTES} zero bytes after the chunk. The padding lets every read be one unaligned
 * 64-bit load without a per-byte bounds check; the only check per read is that the bits consumed
 * stay within the chunk, so truncated or hostile input fails with {@link ChunkFormatException}
 * instead of reading another chunk's bytes or the array's end.
 */
final class BitReader {
    /** Zero bytes the array must hold after the chunk. */
    static final int PADDING_BYTES = 8;

    private final byte[] data;
    private final long limitBits;
    private long position;

    /** Reads {@code data[0, lengthBytes)}; {@code data.length >= lengthBytes + PADDING_BYTES}. */
    BitReader(byte[] data, int lengthBytes) {
        if (data.length < (long) lengthBytes + PADDING_BYTES) {
            throw new IllegalArgumentException("bit reader needs " + PADDING_BYTES + " padding bytes after the chunk");
        }
        this.data = data;
        this.limitBits = lengthBytes * 8L;
    }

    /** Reads {@code bits} bits (0..64) as an unsigned number. */
    long read(int bits) {
        if (bits > 56) {
            long high = read(bits - 32);
            return (high << 32) | read(32);
        }
        long value = peek(bits);
        skip(bits);
        return value;
    }

    /**
     * The next {@code bits} bits (0..56) without consuming them. Past the chunk's end it sees
     * zeros (the padding); the consuming {@link #skip} is what rejects an overrun.
     */
    long peek(int bits) {
        if (bits == 0) {
            return 0;
        }
        // position <= limitBits always holds, so the 8-byte load ends within the padding.
        long word = BigEndian.getLong(data, (int) (position >>> 3));
        return (word << (position & 7)) >>> (64 - bits);
    }

    /** The next 57 or more bits, left-aligned in a long (low bits may be zero), not consumed. */
    long peekWord() {
        return BigEndian.getLong(data, (int) (position >>> 3)) << (position & 7);
    }

    /**
     * For hot loops that keep the bit position in a local: the 57 or more bits at
     * {@code bitPosition}, left-aligned. The caller must have checked
     * {@code bitPosition <= limitBits()} (that keeps the load inside the padding) and must hand
     * the final position back through {@link #seek}.
     */
    long wordAt(long bitPosition) {
        return BigEndian.getLong(data, (int) (bitPosition >>> 3)) << (bitPosition & 7);
    }

    /**
     * The 8 bytes after those {@link #wordAt} loads for {@code bitPosition}, not shifted: with
     * {@code wordAt} a window of at least 121 bits. The caller must have checked
     * {@code bitPosition <= limitBits() - 64}.
     */
    long wordAfter(long bitPosition) {
        return BigEndian.getLong(data, (int) (bitPosition >>> 3) + Long.BYTES);
    }

    long limitBits() {
        return limitBits;
    }

    /** Moves to {@code bitPosition}, failing if that is past the chunk's end. */
    void seek(long bitPosition) {
        if (bitPosition > limitBits) {
            throw new ChunkFormatException("chunk truncated: needs bit " + bitPosition + " of " + limitBits);
        }
        position = bitPosition;
    }

    /** Fails with a truncation error when a hot loop's local position has passed the chunk's end. */
    static void checkWithin(long bitPosition, long limitBits) {
        if (bitPosition > limitBits) {
            throw new ChunkFormatException("chunk truncated: needs bit " + bitPosition + " of " + limitBits);
        }
    }

    void skip(long bits) {
        long next = position + bits;
        if (next > limitBits) {
            throw new ChunkFormatException("chunk truncated: needs bit " + next + " of " + limitBits);
        }
        position = next;
    }

    /**
     * Reads a unary count of 1 bits terminated by a 0 bit, at most {@code max} (<= 56) ones; when
     * {@code max} ones are read no terminator follows. Returns the number of ones.
     */
    int readOnes(int max) {
        int ones = Long.numberOfLeadingZeros(~peekWord());
        if (ones >= max) {
            skip(max);
            return max;
        }
        skip(ones + 1);
        return ones;
    }

    /** Elias-gamma code of a number >= 1 that may not exceed {@code max}. */
    long readGamma(long max) {
        int zeros = Long.numberOfLeadingZeros(peekWord());
        int maxZeros = 63 - Long.numberOfLeadingZeros(max);
        if (zeros > maxZeros) {
            throw new ChunkFormatException("run length code longer than the limit " + max);
        }
        skip(zeros);
        long value = read(zeros + 1);
        if (value > max) {
            throw new ChunkFormatException("run length " + value + " over the limit " + max);
        }
        return value;
    }

    void alignToByte() {
        position = (position + 7) & ~7L;
        if (position > limitBits) {
            throw new ChunkFormatException("chunk truncated at byte " + (position >>> 3));
        }
    }

    int readByte() {
        requireAligned();
        return (int) read(8);
    }

    /** 64 bits at a byte-aligned position: one load instead of {@link #read}'s two. */
    long readAlignedLong() {
        requireAligned();
        long value = BigEndian.getLong(data, (int) (position >>> 3));
        skip(64);
        return value;
    }

    /** Unsigned LEB128 of at most 10 bytes; the stream must be byte-aligned. */
    long readVarLong() {
        requireAligned();
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            // Aligned: a byte load, not a bit-field read.
            skip(8);
            long b = data[(int) ((position >>> 3) - 1)] & 0xFF;
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 63 && b > 1) {
                    throw new ChunkFormatException("varint overflows 64 bits at byte " + (position / 8 - 1));
                }
                return result;
            }
        }
        throw new ChunkFormatException("varint longer than 10 bytes at byte " + (position / 8 - 1));
    }

    /** A varint that must lie in [0, max]. */
    int readVarInt(int max, String what) {
        long value = readVarLong();
        if (value < 0 || value > max) {
            throw new ChunkFormatException(what + " " + Long.toUnsignedString(value) + " outside [0, " + max + "]");
        }
        return (int) value;
    }

    /** Copies {@code length} bytes out; the stream must be byte-aligned. */
    void readBytes(byte[] destination, int offset, int length) {
        requireAligned();
        int start = (int) (position >>> 3);
        skip(length * 8L);
        System.arraycopy(data, start, destination, offset, length);
    }

    /** Bytes left before the chunk's end, from the current (aligned) position. */
    long remainingBytes() {
        return (limitBits - position) >>> 3;
    }

    long positionBits() {
        return position;
    }

    /** Fails unless the whole chunk was consumed: trailing bytes mean a wrong count or type. */
    void requireEnd() {
        alignToByte();
        if (position != limitBits) {
            throw new ChunkFormatException((limitBits - position) / 8 + " unread bytes after the last value");
        }
    }

    private void requireAligned() {
        if ((position & 7) != 0) {
            throw new IllegalStateException("byte read at a non-byte-aligned bit position");
        }
    }
}
