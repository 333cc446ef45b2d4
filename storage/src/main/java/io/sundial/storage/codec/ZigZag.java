package io.sundial.storage.codec;

/** Zig-zag mapping of signed to unsigned so that small magnitudes of either sign get few bits. */
final class ZigZag {
    private ZigZag() {}

    static long encode(long value) {
        return (value << 1) ^ (value >> 63);
    }

    static long decode(long zigzag) {
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    /** Bits needed for the unsigned value: 0 for 0, 64 when the top bit is set. */
    static int bitLength(long unsigned) {
        return 64 - Long.numberOfLeadingZeros(unsigned);
    }
}
