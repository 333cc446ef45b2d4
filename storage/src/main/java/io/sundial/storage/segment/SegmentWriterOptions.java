package io.sundial.storage.segment;

/**
 * How a {@link SegmentWriter} cuts and buffers its output.
 *
 * @param chunkPointsMax the most points in one chunk; a longer column is cut into equal chunks
 * @param writeBufferBytes the write buffer between the writer and the file
 */
public record SegmentWriterOptions(int chunkPointsMax, int writeBufferBytes) {
    public static final int CHUNK_POINTS_MAX_DEFAULT = 8192;
    public static final int WRITE_BUFFER_BYTES_DEFAULT = 1 << 20;
    static final int WRITE_BUFFER_BYTES_MIN = 4096;
    static final int WRITE_BUFFER_BYTES_MAX = 64 << 20;

    public SegmentWriterOptions {
        if (chunkPointsMax < 1 || chunkPointsMax > SegmentFormat.CHUNK_POINTS_LIMIT) {
            throw new IllegalArgumentException("chunkPointsMax " + chunkPointsMax + " outside [1, "
                    + SegmentFormat.CHUNK_POINTS_LIMIT + "]");
        }
        if (writeBufferBytes < WRITE_BUFFER_BYTES_MIN || writeBufferBytes > WRITE_BUFFER_BYTES_MAX) {
            throw new IllegalArgumentException("writeBufferBytes " + writeBufferBytes + " outside ["
                    + WRITE_BUFFER_BYTES_MIN + ", " + WRITE_BUFFER_BYTES_MAX + "]");
        }
    }

    public static SegmentWriterOptions defaults() {
        return new SegmentWriterOptions(CHUNK_POINTS_MAX_DEFAULT, WRITE_BUFFER_BYTES_DEFAULT);
    }

    public SegmentWriterOptions withChunkPointsMax(int points) {
        return new SegmentWriterOptions(points, writeBufferBytes);
    }

    public SegmentWriterOptions withWriteBufferBytes(int bytes) {
        return new SegmentWriterOptions(chunkPointsMax, bytes);
    }
}
