package io.sundial.storage.segment;

import io.sundial.core.FieldType;
import io.sundial.storage.io.ByteOutput;

/**
 * Appends index entries (docs/format/segment.md, "Index entry") in the order chunks are written,
 * which is (seriesId, fieldId, minTime) order. Each entry is a delta against the previous one,
 * and a chunk's file offset is not stored at all: chunk blocks are contiguous from the end of
 * the header, so the reader recovers every offset as a running sum of body lengths.
 */
final class IndexEncoder {
    /** The index is read into one mapped region addressed by int positions. */
    static final int INDEX_BYTES_MAX = Integer.MAX_VALUE - 64;

    private final ByteOutput out = new ByteOutput(1 << 16);
    private int entryCount;
    private long previousSeriesId;
    private int previousFieldId;
    private long previousMinTime;
    private long previousMaxTime;

    int entryCount() {
        return entryCount;
    }

    int size() {
        return out.size();
    }

    byte[] array() {
        return out.array();
    }

    void append(long seriesId, int fieldId, FieldType type, int count, int bodyBytes,
                long minTime, long maxTime, ChunkStats stats) {
        long seriesDelta = seriesId - previousSeriesId;
        boolean isSameSeries = entryCount > 0 && seriesDelta == 0;
        boolean isSameColumn = isSameSeries && fieldId == previousFieldId;
        out.writeVarLong(seriesDelta);
        out.writeVarLong(isSameSeries ? fieldId - previousFieldId : fieldId);
        int flags = StatsEncoding.flags(type, count, stats);
        out.writeByte(type.code() | flags);
        out.writeVarLong(count);
        out.writeVarLong(bodyBytes);
        if (isSameColumn) {
            // Chunks of one column never overlap: the next starts strictly after the previous ends.
            out.writeVarLong(minTime - previousMaxTime - 1);
        } else {
            out.writeSignedVarLong(minTime - previousMinTime);
        }
        out.writeVarLong(maxTime - minTime);
        StatsEncoding.write(type, count, flags, stats, out);
        if (out.size() > INDEX_BYTES_MAX) {
            throw new IllegalStateException("segment index exceeds " + INDEX_BYTES_MAX
                    + " bytes after " + entryCount + " chunks: write the partition as several files");
        }
        entryCount++;
        previousSeriesId = seriesId;
        previousFieldId = fieldId;
        previousMinTime = minTime;
        previousMaxTime = maxTime;
    }
}
