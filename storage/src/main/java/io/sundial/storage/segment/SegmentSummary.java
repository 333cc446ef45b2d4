package io.sundial.storage.segment;

/**
 * The totals of one segment file, as written by {@link SegmentWriter#finish()} and read back from
 * the footer. An empty file (no column added) has {@code pointCount == 0} and
 * {@code minTime > maxTime} ({@code Long.MAX_VALUE}, {@code Long.MIN_VALUE}): it covers no time.
 *
 * @param fileBytes the whole file, header to footer
 * @param indexBytes the chunk index block
 * @param filterBytes the serialized series filter
 */
public record SegmentSummary(int formatVersion, long fileBytes, long pointCount, int chunkCount, int seriesCount,
                             long minTime, long maxTime, long indexBytes, long filterBytes) {

    /** Bytes per point over the whole file; 0 for an empty file. */
    public double bytesPerPoint() {
        return pointCount == 0 ? 0.0 : (double) fileBytes / pointCount;
    }
}
