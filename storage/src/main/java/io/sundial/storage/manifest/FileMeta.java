package io.sundial.storage.manifest;

/**
 * What the manifest knows about one immutable segment file. Stored verbatim in the manifest log
 * (docs/format/manifest.md, tag ADD_FILE); the file itself is named by the engine from
 * {@code fileNumber} (see {@link SegmentFileNames}).
 *
 * @param fileNumber unique for the life of the database, allocated by {@link VersionSet#newFileNumber()};
 *     never reused, so a deleted file can never be confused with a new one
 * @param partitionStart first nanosecond of the time partition the file belongs to
 * @param partitionEnd end of the partition as the engine defines it; at least {@code partitionStart}
 * @param minTime smallest point timestamp in the file, nanoseconds
 * @param maxTime largest point timestamp in the file, nanoseconds
 * @param sizeBytes file size on disk
 * @param pointCount number of points in the file
 * @param sequence order of creation for last-write-wins: a higher sequence wins
 * @param level 0 = flush output, above 0 = compaction output; at most {@link #LEVEL_MAX}
 */
public record FileMeta(long fileNumber, long partitionStart, long partitionEnd, long minTime, long maxTime,
                       long sizeBytes, long pointCount, long sequence, int level) {
    /** The log stores the level in one byte. */
    public static final int LEVEL_MAX = 255;

    public FileMeta {
        if (fileNumber < 0) {
            throw new IllegalArgumentException("file number " + fileNumber + " is negative");
        }
        if (partitionEnd < partitionStart) {
            throw new IllegalArgumentException("file " + fileNumber + ": partition end " + partitionEnd
                    + " is before partition start " + partitionStart);
        }
        if (maxTime < minTime) {
            throw new IllegalArgumentException("file " + fileNumber + ": max time " + maxTime
                    + " is before min time " + minTime);
        }
        if (sizeBytes < 0 || pointCount < 0 || sequence < 0) {
            throw new IllegalArgumentException("file " + fileNumber + ": size " + sizeBytes + ", point count "
                    + pointCount + " and sequence " + sequence + " must not be negative");
        }
        if (level < 0 || level > LEVEL_MAX) {
            throw new IllegalArgumentException("file " + fileNumber + ": level " + level + " is outside 0.." + LEVEL_MAX);
        }
    }

    /** Whether the file holds any time in [from, to] (both inclusive). */
    public boolean overlaps(long from, long to) {
        return minTime <= to && maxTime >= from;
    }
}
