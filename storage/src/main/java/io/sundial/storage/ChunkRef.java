package io.sundial.storage;

import io.sundial.core.FieldType;
import io.sundial.storage.codec.ChunkCodec;
import io.sundial.storage.codec.FloatBlocks;
import io.sundial.storage.segment.ChunkStats;
import io.sundial.storage.segment.SegmentReader;

/**
 * One chunk of a segment file whose stats are exact for a read: it lies wholly inside the read's
 * time range, no other source of the read (another file, a memtable) holds points of its column
 * in its time span, and no newer tombstone touches it. So its count, min, max, sum, first and last
 * are exactly what decoding it would give, and a query may answer from {@link #stats()} alone.
 * Decoding is lazy: {@link #decode()} reads the body only when asked.
 *
 * <p>A <em>clipped</em> chunk ({@link ColumnChunks#clippedChunks()}) meets every condition but the
 * first: the read's range cuts it. Its {@link #stats()}, count and time span are the whole chunk's,
 * so a query may use only its hour blocks ({@link #floatBlocks()}) that lie inside the range and
 * {@link #decode(long, long)} cut to the range.
 */
public final class ChunkRef {
    private final SegmentReader reader;
    private final int position;
    private final long fileNumber;
    private final FieldType type;
    private final int count;
    private final long minTime;
    private final long maxTime;
    /**
     * Set once this reference has checked the body's CRC: a query reading the hour table and
     * then a few hours of one chunk checks the (mapped, immutable) body once, not per call. A
     * reference lives for one query and is read by one fetch thread at a time; a race would only
     * check twice.
     */
    private boolean isCrcChecked;

    ChunkRef(SegmentReader reader, int position, long fileNumber, FieldType type, int count, long minTime, long maxTime) {
        this.reader = reader;
        this.position = position;
        this.fileNumber = fileNumber;
        this.type = type;
        this.count = count;
        this.minTime = minTime;
        this.maxTime = maxTime;
    }

    public FieldType type() {
        return type;
    }

    /** Points in the chunk; at least 1. */
    public int count() {
        return count;
    }

    /** Time of the first point (inclusive). */
    public long minTime() {
        return minTime;
    }

    /** Time of the last point (inclusive). */
    public long maxTime() {
        return maxTime;
    }

    /** The segment file the chunk lives in. */
    public long fileNumber() {
        return fileNumber;
    }

    /** The chunk's stats, read from the file's index (no body is decoded). */
    public ChunkStats stats() {
        return reader.chunk(position).stats();
    }

    /** Decodes the chunk body (its CRC checked). */
    public Column decode() {
        long[] timestamps = new long[count];
        long[] values = type == FieldType.STRING ? null : new long[count];
        String[] strings = type == FieldType.STRING ? new String[count] : null;
        decodeInto(timestamps, values, strings, 0);
        return new Column(type, timestamps, values, strings, count);
    }

    /** Decodes the chunk body (its CRC checked) into the arrays at {@code at}; returns {@link #count()}. */
    int decodeInto(long[] timestamps, long[] values, String[] strings, int at) {
        return reader.decode(position, timestamps, values, strings, at);
    }

    /**
     * The chunk's hour-block table (per-hour count, time span, first, min, max, sum; CRC checked,
     * timestamps decoded), or null when it is not a float chunk stored in hour blocks.
     */
    public FloatBlocks floatBlocks() {
        if (type != FieldType.FLOAT) {
            return null;
        }
        FloatBlocks blocks = reader.floatBlocks(position, isCrcChecked);
        isCrcChecked = true;
        return blocks;
    }

    /**
     * Decodes only the chunk's points with {@code minTime <= t <= maxTime} (CRC checked); a float
     * chunk in hour blocks decodes only the hours the range overlaps. Null when none is in range.
     */
    public Column decode(long minTime, long maxTime) {
        ChunkCodec.DecodedRange range = reader.decodeRange(position, minTime, maxTime, isCrcChecked);
        isCrcChecked = true;
        if (range.size() == 0) {
            return null;
        }
        return new Column(type, range.timestamps(), range.values(), range.strings(), range.size());
    }

    /**
     * The chunk's points in several sorted, disjoint inclusive time ranges ({@code minTimes[i]} to
     * {@code maxTimes[i]}), decoding its timestamps once rather than once per range; a float chunk in
     * hour blocks decodes only the hours some range overlaps. Null when none is in range.
     */
    public Column decode(long[] minTimes, long[] maxTimes) {
        ChunkCodec.DecodedRange range = reader.decodeRanges(position, minTimes, maxTimes, isCrcChecked);
        isCrcChecked = true;
        if (range.size() == 0) {
            return null;
        }
        return new Column(type, range.timestamps(), range.values(), range.strings(), range.size());
    }

    /** Bytes a decoded copy takes on the heap (timestamps and values; strings counted by reference). */
    public long decodedBytes() {
        return 16L * count;
    }
}
