package io.sundial.storage.codec;

import io.sundial.core.FieldType;
import io.sundial.storage.io.ByteOutput;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * Encodes and decodes the body of one chunk: the timestamps and values of one (series, field)
 * over a stretch of time. The segment file stores the point count and the field type beside
 * the body, so neither is repeated here.
 *
 * <p>Values are raw 64-bit words as in {@link io.sundial.core.Point}: float bits, integers,
 * unsigned, booleans as 0/1; strings in the parallel {@code String[]}.
 *
 * <p>The body is a timestamp section then a value section, each starting on a byte boundary
 * with a selector byte naming its encoding ({@link TimestampCodec}, {@link FloatCodec},
 * {@link IntegerCodec}, {@link BooleanCodec}, {@link StringCodec}); the layout is specified in
 * docs/format/chunk-codecs.md. Decoding validates as it goes: bad bytes raise
 * {@link ChunkFormatException}, never another exception, and every loop and allocation is
 * bounded by {@code count}.
 */
public final class ChunkCodec {
    /** Most points one chunk may hold; a count beyond it in a file is corruption. */
    public static final int POINTS_MAX = 65_536;

    /** Chunks up to this size are decoded through a reusable per-thread buffer. */
    private static final int SCRATCH_BYTES_MAX = 1 << 20;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[4096]);

    private ChunkCodec() {}

    /**
     * Appends the encoded points [from, to) to {@code out}. Timestamps must be strictly
     * increasing (the memtable and compaction deduplicate before encoding).
     *
     * @throws IllegalArgumentException when the range is empty or over {@link #POINTS_MAX}, the
     *         timestamps are not strictly increasing, a boolean is not 0/1 or a string is null or too long
     */
    public static void encode(FieldType type, long[] timestamps, long[] values, String[] strings,
                              int from, int to, ByteOutput out) {
        Objects.requireNonNull(type, "type");
        int count = to - from;
        if (from < 0 || count < 1 || count > POINTS_MAX) {
            throw new IllegalArgumentException("chunk must hold 1 to " + POINTS_MAX + " points, got [" + from + ", " + to + ")");
        }
        Objects.checkFromToIndex(from, to, timestamps.length);
        TimestampCodec.encode(timestamps, from, to, out);
        if (type == FieldType.STRING) {
            Objects.checkFromToIndex(from, to, strings.length);
            StringCodec.encode(strings, from, to, out);
            return;
        }
        Objects.checkFromToIndex(from, to, values.length);
        switch (type) {
            case FLOAT -> FloatCodec.encode(values, from, to, out);
            case INTEGER, UNSIGNED -> IntegerCodec.encode(values, from, to, out);
            case BOOLEAN -> BooleanCodec.encode(values, from, to, out);
            case STRING -> throw new AssertionError("handled above");
        }
    }

    /**
     * Appends only the timestamp section of the points [from, to): the bytes every chunk body
     * starts with. For size accounting (benchmarks, inspect tools); a chunk needs {@link #encode}.
     */
    public static void encodeTimestamps(long[] timestamps, int from, int to, ByteOutput out) {
        int count = to - from;
        if (from < 0 || count < 1 || count > POINTS_MAX) {
            throw new IllegalArgumentException("chunk must hold 1 to " + POINTS_MAX + " points, got [" + from + ", " + to + ")");
        }
        Objects.checkFromToIndex(from, to, timestamps.length);
        TimestampCodec.encode(timestamps, from, to, out);
    }

    /**
     * Decodes {@code count} points from {@code segment[offset, offset + length)} into the arrays
     * at {@code dstOffset}. {@code values} is unused for strings and {@code strings} for others.
     *
     * @throws ChunkFormatException when the bytes cannot be a chunk of that type and count
     */
    public static void decode(FieldType type, MemorySegment segment, long offset, long length, int count,
                              long[] timestamps, long[] values, String[] strings, int dstOffset) {
        Objects.requireNonNull(type, "type");
        BitReader in = reader(segment, offset, length, count);
        Objects.checkFromIndexSize(dstOffset, count, timestamps.length);
        Objects.checkFromIndexSize(dstOffset, count, type == FieldType.STRING ? strings.length : values.length);
        TimestampCodec.decode(in, count, timestamps, dstOffset);
        switch (type) {
            case FLOAT -> FloatCodec.decode(in, count, values, dstOffset);
            case INTEGER, UNSIGNED -> IntegerCodec.decode(in, count, values, dstOffset);
            case BOOLEAN -> BooleanCodec.decode(in, count, values, dstOffset);
            case STRING -> StringCodec.decode(in, count, strings, dstOffset);
        }
        in.requireEnd();
    }

    /**
     * Decodes only the timestamps of a chunk body (for time-only scans such as count); the value
     * section after them is not read or checked.
     *
     * @throws ChunkFormatException when the bytes cannot be a timestamp section of that count
     */
    public static void decodeTimestamps(MemorySegment segment, long offset, long length, int count,
                                        long[] timestamps, int dstOffset) {
        BitReader in = reader(segment, offset, length, count);
        Objects.checkFromIndexSize(dstOffset, count, timestamps.length);
        TimestampCodec.decode(in, count, timestamps, dstOffset);
    }

    /** Copies the chunk once into a padded array: bit reads then need no per-load bounds checks. */
    private static BitReader reader(MemorySegment segment, long offset, long length, int count) {
        if (count < 1 || count > POINTS_MAX) {
            throw new ChunkFormatException("chunk point count " + count + " outside [1, " + POINTS_MAX + "]");
        }
        if (length < 0 || length > Integer.MAX_VALUE - BitReader.PADDING_BYTES) {
            throw new ChunkFormatException("chunk length " + length + " outside [0, " + (Integer.MAX_VALUE - 8) + "]");
        }
        Objects.checkFromIndexSize(offset, length, segment.byteSize());
        int lengthBytes = (int) length;
        byte[] data = chunkBuffer(lengthBytes);
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, data, 0, lengthBytes);
        // The padding after the chunk must read as zeros (a reused buffer holds an older chunk there).
        Arrays.fill(data, lengthBytes, lengthBytes + BitReader.PADDING_BYTES, (byte) 0);
        return new BitReader(data, lengthBytes);
    }

    private static byte[] chunkBuffer(int lengthBytes) {
        int needed = lengthBytes + BitReader.PADDING_BYTES;
        if (needed > SCRATCH_BYTES_MAX) {
            return new byte[needed];
        }
        byte[] scratch = SCRATCH.get();
        if (scratch.length < needed) {
            scratch = new byte[Math.min(SCRATCH_BYTES_MAX, Math.max(needed, scratch.length * 2))];
            SCRATCH.set(scratch);
        }
        return scratch;
    }
}
