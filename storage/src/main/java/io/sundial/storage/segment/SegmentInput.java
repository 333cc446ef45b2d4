package io.sundial.storage.segment;

import io.sundial.storage.format.CorruptFileException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Reads big-endian words and LEB128 varints from a region of a mapped file. Every read is
 * checked against the region's end, so a damaged length or count surfaces as a
 * {@link CorruptFileException} at the exact file offset instead of an out-of-bounds error.
 */
final class SegmentInput {
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int VARINT_BYTES_MAX = 10;

    private final Path file;
    private final MemorySegment segment;
    private final String region;
    private final long end;
    private long position;

    /** Reads {@code segment[start, end)}, naming {@code region} in errors. */
    SegmentInput(Path file, MemorySegment segment, String region, long start, long end) {
        this.file = file;
        this.segment = segment;
        this.region = region;
        this.position = start;
        this.end = end;
    }

    long position() {
        return position;
    }

    void seek(long newPosition) {
        position = newPosition;
    }

    boolean hasRemaining() {
        return position < end;
    }

    int readUnsignedByte() {
        require(1);
        return segment.get(ValueLayout.JAVA_BYTE, position++) & 0xFF;
    }

    long readLong() {
        require(8);
        long v = segment.get(LONG, position);
        position += 8;
        return v;
    }

    /** Unsigned LEB128, as {@link io.sundial.storage.io.ByteOutput#writeVarLong} writes it. */
    long readVarLong() {
        long start = position;
        long result = 0;
        for (int shift = 0; shift < 7 * VARINT_BYTES_MAX; shift += 7) {
            if (position >= end) {
                throw corrupt(start, "varint runs past the end of the " + region + " at offset " + end);
            }
            int b = segment.get(ValueLayout.JAVA_BYTE, position++);
            if (shift == 63 && (b & 0x7E) != 0) {
                break;
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw corrupt(start, "varint in the " + region + " is longer than 64 bits");
    }

    long readSignedVarLong() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    /** A varint that must lie in [min, max]; {@code what} names it in the error. */
    long readVarLong(String what, long min, long max) {
        long start = position;
        long v = readVarLong();
        if (v < min || v > max) {
            throw corrupt(start, what + " " + Long.toUnsignedString(v) + " outside [" + min + ", " + max + "]");
        }
        return v;
    }

    CorruptFileException corrupt(long offset, String what) {
        return new CorruptFileException(file, offset, what);
    }

    private void require(int bytes) {
        if (end - position < bytes) {
            throw corrupt(position, bytes + "-byte read runs past the end of the " + region + " at offset " + end);
        }
    }
}
