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

    /**
     * Bytes of a chunk body copied first to read its hour table: the timestamps of a regular series
     * (19 bytes) and the entries of a day of hours (about 40 bytes each) fit; anything longer is
     * read again whole.
     */
    private static final long TABLE_PREFIX_BYTES = 2048;
    private static final int[] NO_INDEXES = new int[0];
    private static final long[] NO_TIMES = new long[0];

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
            case FLOAT -> FloatCodec.encode(timestamps, values, from, to, out);
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
        DecodeScratch scratch = DecodeScratch.take();
        try {
            Objects.requireNonNull(type, "type");
            BitReader in = reader(scratch, segment, offset, length, count);
            Objects.checkFromIndexSize(dstOffset, count, timestamps.length);
            Objects.checkFromIndexSize(dstOffset, count, type == FieldType.STRING ? strings.length : values.length);
            TimestampCodec.decode(in, count, timestamps, dstOffset);
            switch (type) {
                case FLOAT -> FloatCodec.decode(in, count, timestamps, values, dstOffset);
                case INTEGER, UNSIGNED -> IntegerCodec.decode(in, count, values, dstOffset);
                case BOOLEAN -> BooleanCodec.decode(in, count, values, dstOffset);
                case STRING -> StringCodec.decode(in, count, strings, dstOffset);
            }
            in.requireEnd();
        } finally {
            scratch.release();
        }
    }

    /**
     * Decodes only the timestamps of a chunk body (for time-only scans such as count); the value
     * section after them is not read or checked.
     *
     * @throws ChunkFormatException when the bytes cannot be a timestamp section of that count
     */
    public static void decodeTimestamps(MemorySegment segment, long offset, long length, int count,
                                        long[] timestamps, int dstOffset) {
        DecodeScratch scratch = DecodeScratch.take();
        try {
            BitReader in = reader(scratch, segment, offset, length, count);
            Objects.checkFromIndexSize(dstOffset, count, timestamps.length);
            TimestampCodec.decode(in, count, timestamps, dstOffset);
        } finally {
            scratch.release();
        }
    }

    /** The points of a chunk that lie in a time range: parallel arrays of {@code size} entries. */
    public record DecodedRange(long[] timestamps, long[] values, String[] strings, int size) {}

    /**
     * Decodes only the points with {@code minTime <= t <= maxTime}. All timestamps are decoded
     * (they are cheap: a regular series is one run); of the values, a float chunk in hour blocks
     * decodes only the blocks the range overlaps, other encodings decode every value. The arrays
     * returned hold exactly the points in range. A reader that holds the chunk's block table uses
     * {@link #decodeBlockRanges}, which decodes the timestamps of those blocks only.
     *
     * @throws ChunkFormatException when the bytes cannot be a chunk of that type and count
     */
    public static DecodedRange decodeRange(FieldType type, MemorySegment segment, long offset, long length, int count,
                                           long minTime, long maxTime) {
        DecodeScratch scratch = DecodeScratch.take();
        try {
            Objects.requireNonNull(type, "type");
            BitReader in = reader(scratch, segment, offset, length, count);
            long[] times = scratch.times(count);
            TimestampCodec.decode(in, count, times, 0);
            int lo = lowerBound(times, count, minTime);
            int hi = upperBound(times, count, maxTime);
            int size = Math.max(0, hi - lo);
            long[] outTimes = Arrays.copyOfRange(times, lo, lo + size);
            if (type == FieldType.STRING) {
                String[] strings = new String[count];
                StringCodec.decode(in, count, strings, 0);
                in.requireEnd();
                return new DecodedRange(outTimes, null, Arrays.copyOfRange(strings, lo, lo + size), size);
            }
            long[] values = scratch.values(count);
            if (size == 0) {
                return new DecodedRange(outTimes, new long[0], null, 0);
            }
            if (type == FieldType.FLOAT && in.peek(8) == FloatCodec.HOUR_BLOCKS) {
                in.readByte();
                FloatBlocks table = FloatHourBlockCodec.readTable(in, count, times, 0);
                int fromBlock = blockOf(table, lo);
                int toBlock = blockOf(table, hi - 1) + 1;
                FloatHourBlockCodec.decodeBlocks(in, table, fromBlock, toBlock, values, 0);
            } else {
                decodeNumericValues(type, in, count, times, values);
            }
            return new DecodedRange(outTimes, Arrays.copyOfRange(values, lo, lo + size), null, size);
        } finally {
            scratch.release();
        }
    }

    /**
     * Like {@link #decodeRange} for several sorted, disjoint inclusive ranges ({@code minTimes[i]}
     * to {@code maxTimes[i]}) at once: the timestamps are decoded once for all of them, and of a
     * float chunk in hour blocks only the blocks some range overlaps, each once. The points come in
     * time order.
     */
    public static DecodedRange decodeRanges(FieldType type, MemorySegment segment, long offset, long length, int count,
                                            long[] minTimes, long[] maxTimes) {
        DecodeScratch scratch = DecodeScratch.take();
        try {
            Objects.requireNonNull(type, "type");
            if (minTimes.length != maxTimes.length) {
                throw new IllegalArgumentException(minTimes.length + " range starts for " + maxTimes.length + " range ends");
            }
            BitReader in = reader(scratch, segment, offset, length, count);
            long[] times = scratch.times(count);
            TimestampCodec.decode(in, count, times, 0);
            int[] los = new int[minTimes.length];
            int[] his = new int[minTimes.length];
            int size = cut(times, count, minTimes, maxTimes, los, his);
            long[] outTimes = new long[size];
            gather(times, los, his, outTimes);
            if (type == FieldType.STRING) {
                String[] strings = new String[count];
                StringCodec.decode(in, count, strings, 0);
                in.requireEnd();
                String[] outStrings = new String[size];
                gather(strings, los, his, outStrings);
                return new DecodedRange(outTimes, null, outStrings, size);
            }
            long[] values = scratch.values(count);
            if (size == 0) {
                return new DecodedRange(outTimes, new long[0], null, 0);
            }
            if (type == FieldType.FLOAT && in.peek(8) == FloatCodec.HOUR_BLOCKS) {
                in.readByte();
                FloatBlocks table = FloatHourBlockCodec.readTable(in, count, times, 0);
                int decodedUntil = 0;
                for (int r = 0; r < los.length; r++) {
                    if (his[r] > los[r]) {
                        int fromBlock = Math.max(decodedUntil, blockOf(table, los[r]));
                        int toBlock = blockOf(table, his[r] - 1) + 1;
                        if (fromBlock < toBlock) {
                            FloatHourBlockCodec.decodeBlocks(in, table, fromBlock, toBlock, values, 0);
                            decodedUntil = toBlock;
                        }
                    }
                }
            } else {
                decodeNumericValues(type, in, count, times, values);
            }
            long[] outValues = new long[size];
            gather(values, los, his, outValues);
            return new DecodedRange(outTimes, outValues, null, size);
        } finally {
            scratch.release();
        }
    }

    /**
     * The points of a float chunk in hour blocks within the sorted, disjoint inclusive ranges
     * {@code [minTimes[r], maxTimes[r]]}, given the chunk's block table: only the blocks some range
     * overlaps are read. Their timestamps are materialized from the timestamp codes
     * ({@link TimestampCodec#decodeSpans}) and only their value streams are copied and decoded, so
     * a partial hour of a 23-hour chunk costs about one hour of points, not the chunk's thousands
     * of timestamps and the body up to that hour. Points in time order.
     *
     * @throws ChunkFormatException when the bytes do not match the table
     */
    public static DecodedRange decodeBlockRanges(MemorySegment segment, long offset, long length, int count,
                                                 FloatBlocks table, long[] minTimes, long[] maxTimes) {
        DecodeScratch scratch = DecodeScratch.take();
        try {
            if (minTimes.length != maxTimes.length) {
                throw new IllegalArgumentException(minTimes.length + " range starts for " + maxTimes.length + " range ends");
            }
            int blocks = table.blockCount();
            if (table.starts()[blocks] != count) {
                throw new ChunkFormatException("float blocks hold " + table.starts()[blocks] + " points, the chunk " + count);
            }
            // Runs of adjacent blocks that some range overlaps, each block once: [runFirst[k], runEnd[k]).
            int[] runFirst = new int[blocks];
            int[] runEnd = new int[blocks];
            int runs = 0;
            int next = 0;
            for (int r = 0; r < minTimes.length; r++) {
                int b = next;
                while (b < blocks && table.maxTimes()[b] < minTimes[r]) {
                    b++;
                }
                for (; b < blocks && table.minTimes()[b] <= maxTimes[r]; b++) {
                    if (runs > 0 && runEnd[runs - 1] == b) {
                        runEnd[runs - 1] = b + 1;
                    } else {
                        runFirst[runs] = b;
                        runEnd[runs++] = b + 1;
                    }
                    next = b + 1;
                }
            }
            if (runs == 0) {
                return new DecodedRange(new long[0], new long[0], null, 0);
            }
            int[] spanStarts = new int[runs];
            int[] spanEnds = new int[runs];
            int points = 0;
            for (int k = 0; k < runs; k++) {
                spanStarts[k] = table.starts()[runFirst[k]];
                spanEnds[k] = table.starts()[runEnd[k]];
                points += spanEnds[k] - spanStarts[k];
            }
            // The timestamps and the table precede the first stream, which starts byte-aligned.
            long[] times = scratch.times(count);
            BitReader in = reader(scratch, segment, offset, Math.min(length, table.streamStarts()[0] >>> 3), count);
            int stored = TimestampCodec.decodeSpans(in, count, spanStarts, spanEnds, runs, times);
            if (stored != points) {
                throw new ChunkFormatException("timestamp section holds " + stored + " of the " + points
                        + " points its hour blocks need");
            }
            int[] los = new int[minTimes.length];
            int[] his = new int[minTimes.length];
            int size = cut(times, points, minTimes, maxTimes, los, his);
            long[] values = scratch.values(count);
            int at = 0;
            int range = 0;
            for (int k = 0; k < runs; k++) {
                int runPoints = spanEnds[k] - spanStarts[k];
                // The run's values are decoded only up to its last point some range keeps: a range
                // ending early in an hour (the last bucket of a query) leaves the hour's tail undecoded.
                int neededEnd = at;
                while (range < los.length && los[range] < at + runPoints) {
                    neededEnd = Math.max(neededEnd, Math.min(his[range], at + runPoints));
                    if (his[range] > at + runPoints) {
                        break;
                    }
                    range++;
                }
                if (neededEnd > at) {
                    long fromBit = table.streamStarts()[runFirst[k]];
                    long toBit = table.streamStarts()[runEnd[k]];
                    if (toBit > 8 * length) {
                        throw new ChunkFormatException("float block " + (runEnd[k] - 1) + " stream ends past the chunk");
                    }
                    BitReader streams = reader(scratch, segment, offset + (fromBit >>> 3), (toBit - fromBit) >>> 3, count);
                    FloatHourBlockCodec.decodeBlocks(streams, table, runFirst[k], runEnd[k], values, at - spanStarts[k],
                            fromBit, neededEnd - at + spanStarts[k]);
                }
                at += runPoints;
            }
            long[] outTimes = new long[size];
            long[] outValues = new long[size];
            gather(times, los, his, outTimes);
            gather(values, los, his, outValues);
            return new DecodedRange(outTimes, outValues, null, size);
        } finally {
            scratch.release();
        }
    }

    /** Fills [los[r], his[r]) with the points of times[0, count) in range r; returns the points in all ranges. */
    private static int cut(long[] times, int count, long[] minTimes, long[] maxTimes, int[] los, int[] his) {
        int size = 0;
        for (int r = 0; r < los.length; r++) {
            los[r] = lowerBound(times, count, minTimes[r]);
            his[r] = Math.max(los[r], upperBound(times, count, maxTimes[r]));
            size += his[r] - los[r];
        }
        return size;
    }

    private static void gather(Object source, int[] los, int[] his, Object target) {
        int at = 0;
        for (int r = 0; r < los.length; r++) {
            System.arraycopy(source, los[r], target, at, his[r] - los[r]);
            at += his[r] - los[r];
        }
    }

    /**
     * The hour-block table of a float chunk body, or null when the chunk is not stored in hour
     * blocks. Each block's time span comes from walking the timestamp section (a regular series is
     * one run), and only a prefix of the body is copied when the table fits in it: a query folding
     * whole hours of a long chunk touches a few hundred bytes of it, not the value streams.
     *
     * @throws ChunkFormatException when the bytes cannot be a chunk of that count
     */
    public static FloatBlocks floatBlocks(MemorySegment segment, long offset, long length, int count) {
        DecodeScratch scratch = DecodeScratch.take();
        try {
            long prefix = Math.min(length, TABLE_PREFIX_BYTES);
            if (prefix < length) {
                try {
                    return floatBlocks(reader(scratch, segment, offset, prefix, count), count, length);
                } catch (ChunkFormatException e) {
                    // The timestamps or the table run past the prefix (or the body is bad): read it all.
                }
            }
            return floatBlocks(reader(scratch, segment, offset, length, count), count, length);
        } finally {
            scratch.release();
        }
    }

    private static FloatBlocks floatBlocks(BitReader in, int count, long length) {
        TimestampCodec.timesAt(in, count, NO_INDEXES, 0, NO_TIMES);
        if (in.remainingBytes() < 1) {
            throw new ChunkFormatException("chunk truncated: no value section after the timestamps");
        }
        if (in.peek(8) != FloatCodec.HOUR_BLOCKS) {
            return null;
        }
        in.readByte();
        return FloatHourBlockCodec.readTable(in, count, 8 * length, 0);
    }

    /** The block holding point {@code index}. */
    private static int blockOf(FloatBlocks table, int index) {
        int found = Arrays.binarySearch(table.starts(), 0, table.blockCount(), index);
        return found >= 0 ? found : -found - 2;
    }

    private static int lowerBound(long[] times, int size, long key) {
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (times[middle] < key) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static int upperBound(long[] times, int size, long key) {
        int low = 0;
        int high = size;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (times[middle] <= key) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Every value of a numeric chunk whose values are not in hour blocks, checking that the chunk ends there. */
    private static void decodeNumericValues(FieldType type, BitReader in, int count, long[] times, long[] values) {
        switch (type) {
            case FLOAT -> FloatCodec.decode(in, count, times, values, 0);
            case INTEGER, UNSIGNED -> IntegerCodec.decode(in, count, values, 0);
            case BOOLEAN -> BooleanCodec.decode(in, count, values, 0);
            case STRING -> throw new AssertionError("string chunks are decoded apart");
        }
        in.requireEnd();
    }

    /** Copies the chunk once into a padded array: bit reads then need no per-load bounds checks. */
    private static BitReader reader(DecodeScratch scratch, MemorySegment segment, long offset, long length, int count) {
        if (count < 1 || count > POINTS_MAX) {
            throw new ChunkFormatException("chunk point count " + count + " outside [1, " + POINTS_MAX + "]");
        }
        if (length < 0 || length > Integer.MAX_VALUE - BitReader.PADDING_BYTES) {
            throw new ChunkFormatException("chunk length " + length + " outside [0, " + (Integer.MAX_VALUE - 8) + "]");
        }
        Objects.checkFromIndexSize(offset, length, segment.byteSize());
        int lengthBytes = (int) length;
        byte[] data = scratch.bytes(lengthBytes + BitReader.PADDING_BYTES);
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, data, 0, lengthBytes);
        // The padding after the chunk must read as zeros (a reused buffer holds an older chunk there).
        Arrays.fill(data, lengthBytes, lengthBytes + BitReader.PADDING_BYTES, (byte) 0);
        return new BitReader(data, lengthBytes);
    }
}
