package io.sundial.storage.segment;

import static io.sundial.storage.segment.SegmentFormat.CHUNK_CRC_BYTES;
import static io.sundial.storage.segment.SegmentFormat.CHUNK_POINTS_LIMIT;
import static io.sundial.storage.segment.SegmentFormat.SERIES_ID_MAX;
import static io.sundial.storage.segment.SegmentFormat.TYPE_CODE_MASK;

import io.sundial.core.FieldType;
import io.sundial.storage.format.CorruptFileException;
import io.sundial.storage.format.FileHeaders;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The chunk index of an open segment, decoded into parallel primitive arrays (about 45 bytes a
 * chunk, no object per chunk) for binary search. Stats stay in the mapped index and are decoded
 * on demand from {@link #statsPosition}.
 */
final class ChunkIndex {
    private static final FieldType[] TYPES = FieldType.values();

    final long[] seriesIds;
    final int[] fieldIds;
    /** The entry's type byte: type code in the low bits, stats flags in the high bits. */
    final byte[] typeBytes;
    final int[] counts;
    final long[] minTimes;
    final long[] maxTimes;
    /** Body offsets; {@code offsets[chunkCount]} is the index offset, where the last body's CRC ends. */
    final long[] offsets;
    /** Where each entry's stats start, relative to the index offset. */
    final int[] statsPosition;

    private ChunkIndex(int chunkCount) {
        seriesIds = new long[chunkCount];
        fieldIds = new int[chunkCount];
        typeBytes = new byte[chunkCount];
        counts = new int[chunkCount];
        minTimes = new long[chunkCount];
        maxTimes = new long[chunkCount];
        offsets = new long[chunkCount + 1];
        statsPosition = new int[chunkCount];
    }

    int chunkCount() {
        return seriesIds.length;
    }

    FieldType type(int i) {
        return TYPES[typeBytes[i] & TYPE_CODE_MASK];
    }

    int flags(int i) {
        return typeBytes[i] & ~TYPE_CODE_MASK & 0xFF;
    }

    int bodyBytes(int i) {
        return (int) (offsets[i + 1] - offsets[i] - CHUNK_CRC_BYTES);
    }

    /**
     * Decodes the index region of {@code segment} and checks every entry against its neighbours
     * and the footer: ascending order, non-overlapping chunks of a column, bodies tiling the data
     * region exactly. A file whose index passed its checksum fails here only if its writer had a bug.
     */
    static ChunkIndex decode(Path file, MemorySegment segment, SegmentFooter footer) {
        int chunkCount = footer.chunkCount();
        ChunkIndex index = new ChunkIndex(chunkCount);
        long indexStart = footer.indexOffset();
        SegmentInput in = new SegmentInput(file, segment, "index", indexStart, indexStart + footer.indexBytes());
        long seriesId = 0;
        int fieldId = 0;
        long minTime = 0;
        long maxTime = 0;
        long offset = FileHeaders.HEADER_BYTES;
        long pointCount = 0;
        int distinctSeries = 0;
        for (int i = 0; i < chunkCount; i++) {
            long entryStart = in.position();
            long seriesDelta = in.readVarLong("series id delta", 0, SERIES_ID_MAX - seriesId);
            boolean isSameSeries = i > 0 && seriesDelta == 0;
            long fieldValue = in.readVarLong("field id", 0, Integer.MAX_VALUE - (isSameSeries ? fieldId : 0));
            // Deltas are unsigned, so (seriesId, fieldId) can only ascend; a zero field delta
            // within a series continues the previous column.
            boolean isSameColumn = isSameSeries && fieldValue == 0;
            seriesId += seriesDelta;
            fieldId = isSameSeries ? fieldId + (int) fieldValue : (int) fieldValue;
            if (!isSameSeries) {
                distinctSeries++;
            }
            int typeByte = in.readUnsignedByte();
            if ((typeByte & TYPE_CODE_MASK) >= TYPES.length) {
                throw in.corrupt(in.position() - 1, "index entry " + i + " has unknown field type code "
                        + (typeByte & TYPE_CODE_MASK));
            }
            if (isSameColumn && (typeByte & TYPE_CODE_MASK) != (index.typeBytes[i - 1] & TYPE_CODE_MASK)) {
                throw in.corrupt(entryStart, "index entry " + i + " changes the type of a column");
            }
            int count = (int) in.readVarLong("point count", 1, CHUNK_POINTS_LIMIT);
            long bodyBytes = in.readVarLong("chunk body length", 1, Integer.MAX_VALUE - CHUNK_CRC_BYTES);
            long previousMaxTime = maxTime;
            if (isSameColumn) {
                minTime = maxTime + 1 + in.readVarLong();
            } else {
                minTime += in.readSignedVarLong();
            }
            maxTime = minTime + in.readVarLong();
            if (maxTime < minTime || (isSameColumn && minTime <= previousMaxTime)) {
                throw in.corrupt(entryStart, "index entry " + i + " has time range [" + minTime + ", " + maxTime
                        + "] out of order");
            }
            index.statsPosition[i] = (int) (in.position() - indexStart);
            StatsEncoding.read(TYPES[typeByte & TYPE_CODE_MASK], count, typeByte & ~TYPE_CODE_MASK, in);
            index.seriesIds[i] = seriesId;
            index.fieldIds[i] = fieldId;
            index.typeBytes[i] = (byte) typeByte;
            index.counts[i] = count;
            index.minTimes[i] = minTime;
            index.maxTimes[i] = maxTime;
            index.offsets[i] = offset;
            offset += bodyBytes + CHUNK_CRC_BYTES;
            if (offset > indexStart) {
                throw in.corrupt(entryStart, "index entry " + i + " places a chunk body past the index at offset "
                        + indexStart);
            }
            pointCount += count;
        }
        index.offsets[chunkCount] = offset;
        checkTotals(file, in, footer, offset, pointCount, distinctSeries, index);
        return index;
    }

    private static void checkTotals(Path file, SegmentInput in, SegmentFooter footer, long dataEnd,
                                    long pointCount, int distinctSeries, ChunkIndex index) {
        if (in.hasRemaining()) {
            throw in.corrupt(in.position(), "index has bytes after its " + footer.chunkCount() + " entries");
        }
        if (dataEnd != footer.indexOffset()) {
            throw new CorruptFileException(file, dataEnd, "chunk bodies end at offset " + dataEnd
                    + " but the index starts at " + footer.indexOffset());
        }
        long minTime = Long.MAX_VALUE;
        long maxTime = Long.MIN_VALUE;
        for (int i = 0; i < index.chunkCount(); i++) {
            minTime = Math.min(minTime, index.minTimes[i]);
            maxTime = Math.max(maxTime, index.maxTimes[i]);
        }
        if (pointCount != footer.pointCount() || distinctSeries != footer.seriesCount()
                || minTime != footer.minTime() || maxTime != footer.maxTime()) {
            throw new CorruptFileException(file, footer.indexOffset(), "index totals (" + pointCount + " points, "
                    + distinctSeries + " series, time [" + minTime + ", " + maxTime + "]) disagree with the footer ("
                    + footer.pointCount() + " points, " + footer.seriesCount() + " series, time ["
                    + footer.minTime() + ", " + footer.maxTime() + "])");
        }
    }

    /** The first entry at or after (seriesId, fieldId) in index order. */
    int lowerBound(long seriesId, int fieldId) {
        return search(seriesId, fieldId, false);
    }

    /** The first entry after every entry of (seriesId, fieldId) in index order. */
    int upperBound(long seriesId, int fieldId) {
        return search(seriesId, fieldId, true);
    }

    /** Binary search for the first entry after (seriesId, fieldId), or at it when {@code isPastEqual} is false. */
    private int search(long seriesId, int fieldId, boolean isPastEqual) {
        int low = 0;
        int high = chunkCount();
        while (low < high) {
            int mid = (low + high) >>> 1;
            int cmp = seriesIds[mid] != seriesId ? Long.compare(seriesIds[mid], seriesId)
                    : Integer.compare(fieldIds[mid], fieldId);
            if (cmp < 0 || isPastEqual && cmp == 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** The first chunk in [from, to) whose maxTime is >= time (maxTimes ascend within a column). */
    int firstEndingAtOrAfter(int from, int to, long time) {
        int low = from;
        int high = to;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (maxTimes[mid] < time) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** One past the last entry of the column starting at {@code first}. */
    int columnEnd(int first) {
        long seriesId = seriesIds[first];
        int fieldId = fieldIds[first];
        // Gallop first: a column holds a few chunks of a file, so the end is near and a search
        // over the whole index would touch far entries for nothing.
        int low = first;
        int high = chunkCount();
        for (int step = 1; first + step < high; step <<= 1) {
            int probe = first + step;
            if (seriesIds[probe] == seriesId && fieldIds[probe] == fieldId) {
                low = probe + 1;
            } else {
                high = probe;
                break;
            }
        }
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (seriesIds[mid] == seriesId && fieldIds[mid] == fieldId) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
