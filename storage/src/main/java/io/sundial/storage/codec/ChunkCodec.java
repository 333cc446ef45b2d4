package io.sundial.storage.codec;

import io.sundial.core.FieldType;
import io.sundial.storage.io.ByteOutput;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Encodes and decodes the body of one chunk: the timestamps and values of one (series, field)
 * over a stretch of time. The segment file stores the point count and the field type beside
 * the body, so neither is repeated here.
 *
 * <p>Values are raw 64-bit words as in {@link io.sundial.core.Point}: float bits, integers,
 * unsigned, booleans as 0/1; strings in the parallel {@code String[]}.
 *
 * <p>PLACEHOLDER LAYOUT: plain 8-byte words, to be replaced by the real codecs
 * (delta-of-delta timestamps, float/integer/boolean/string encodings).
 */
public final class ChunkCodec {
    private ChunkCodec() {}

    /**
     * Appends the encoded points [from, to) to {@code out}. Timestamps must be strictly
     * increasing (the memtable and compaction deduplicate before encoding).
     */
    public static void encode(FieldType type, long[] timestamps, long[] values, String[] strings,
                              int from, int to, ByteOutput out) {
        for (int i = from; i < to; i++) {
            out.writeLong(timestamps[i]);
        }
        for (int i = from; i < to; i++) {
            if (type == FieldType.STRING) {
                byte[] b = strings[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.writeBytes(b);
            } else {
                out.writeLong(values[i]);
            }
        }
    }

    /**
     * Decodes {@code count} points from {@code segment[offset, offset + length)} into the arrays
     * at {@code dstOffset}. {@code values} is unused for strings and {@code strings} for others.
     *
     * @throws ChunkFormatException when the bytes cannot be a chunk of that type and count
     */
    public static void decode(FieldType type, MemorySegment segment, long offset, long length, int count,
                              long[] timestamps, long[] values, String[] strings, int dstOffset) {
        long pos = offset;
        long end = offset + length;
        ValueLayout.OfLong be = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
        ValueLayout.OfInt beInt = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
        if (pos + 8L * count > end) {
            throw new ChunkFormatException("chunk too short for " + count + " timestamps");
        }
        for (int i = 0; i < count; i++) {
            timestamps[dstOffset + i] = segment.get(be, pos);
            pos += 8;
        }
        for (int i = 0; i < count; i++) {
            if (type == FieldType.STRING) {
                int n = segment.get(beInt, pos);
                pos += 4;
                byte[] b = new byte[n];
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, pos, b, 0, n);
                pos += n;
                strings[dstOffset + i] = new String(b, java.nio.charset.StandardCharsets.UTF_8);
            } else {
                values[dstOffset + i] = segment.get(be, pos);
                pos += 8;
            }
        }
    }
}
