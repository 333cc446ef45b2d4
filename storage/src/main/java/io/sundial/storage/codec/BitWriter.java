package io.sundial.storage.codec;

import io.sundial.storage.io.ByteOutput;

/**
 * Writes a big-endian bit stream into a {@link ByteOutput}: the first bit written is the most
 * significant bit of the first byte. Bits are gathered in a 64-bit accumulator and stored a whole
 * word at a time, so a write costs a shift and an or. Sections of a chunk start on byte
 * boundaries ({@link #alignToByte()}), which is what lets each codec begin with a selector byte.
 */
final class BitWriter {
    private final ByteOutput out;
    private final int startSize;
    /** Pending bits in the low {@code pendingBits} positions. */
    private long pending;
    private int pendingBits;

    BitWriter(ByteOutput out) {
        this.out = out;
        this.startSize = out.size();
    }

    /** Writes the low {@code bits} bits of {@code value}, most significant first; 0 <= bits <= 64. */
    void write(long value, int bits) {
        if (bits == 0) {
            return;
        }
        long masked = value & (-1L >>> (64 - bits));
        int free = 64 - pendingBits;
        if (bits < free) {
            pending = (pending << bits) | masked;
            pendingBits += bits;
            return;
        }
        // Fill the accumulator's free bits with the top of the value and store the whole word.
        // When free == 64 the accumulator is empty (pending == 0), so the no-op shift is harmless.
        int rest = bits - free;
        out.writeLong((pending << free) | (masked >>> rest));
        pendingBits = rest;
        pending = rest == 0 ? 0 : masked & (-1L >>> (64 - rest));
    }

    /**
     * For an encoder's hot loop that packs bits itself: makes room for {@code bytes} more bytes
     * after the current position and returns the output array, valid until {@link #resume}. The
     * loop starts from {@link #bytePosition()}, {@link #pendingWord()} and {@link #pendingBitCount()},
     * stores whole big-endian words at the position as this writer does, and hands its state back
     * through {@link #resume}.
     */
    byte[] reserveBytes(long bytes) {
        if (bytes < 0 || bytes > Integer.MAX_VALUE) {
            throw new IllegalStateException("bit stream of " + bytes + " bytes exceeds a 2 GiB buffer");
        }
        out.ensure((int) bytes);
        return out.array();
    }

    /** Where the next whole word goes in the output array. */
    int bytePosition() {
        return out.size();
    }

    /** The pending bits (the low {@link #pendingBitCount()} bits; the rest are 0). */
    long pendingWord() {
        return pending;
    }

    int pendingBitCount() {
        return pendingBits;
    }

    /** Takes back the state of a hot loop begun at {@link #reserveBytes}: 0 <= bits < 64, higher bits of word 0. */
    void resume(int bytePosition, long word, int bits) {
        out.setSize(bytePosition);
        pending = word;
        pendingBits = bits;
    }

    /** Pads with zero bits to the next byte boundary and flushes everything pending. */
    void alignToByte() {
        int pad = (-pendingBits) & 7;
        pending <<= pad;
        pendingBits += pad;
        for (int shift = pendingBits - 8; shift >= 0; shift -= 8) {
            out.writeByte((int) (pending >>> shift));
        }
        pending = 0;
        pendingBits = 0;
    }

    /** Writes one byte; the stream must be byte-aligned. */
    void writeByte(int value) {
        requireAligned();
        out.writeByte(value);
    }

    /** Unsigned LEB128; the stream must be byte-aligned. */
    void writeVarLong(long value) {
        requireAligned();
        out.writeVarLong(value);
    }

    /** Raw bytes; the stream must be byte-aligned. */
    void writeBytes(byte[] bytes, int offset, int length) {
        requireAligned();
        out.writeBytes(bytes, offset, length);
    }

    /** Bits written through this writer so far, including pending ones. */
    long bitsWritten() {
        return (out.size() - startSize) * 8L + pendingBits;
    }

    private void requireAligned() {
        if (pendingBits != 0) {
            throw new IllegalStateException("byte write at a non-byte-aligned bit position");
        }
    }
}
