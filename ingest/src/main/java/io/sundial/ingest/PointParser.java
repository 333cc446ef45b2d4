package io.sundial.ingest;

import java.io.IOException;

/**
 * A streaming parser over one input. A bad record never stops the stream: it becomes a
 * {@link ParseError} and parsing goes on with the next record (the caller decides whether a
 * request with errors is written partially or not at all). Not thread-safe.
 */
public interface PointParser extends AutoCloseable {
    /**
     * Parses up to {@code recordsMax} records (valid points plus rejected records), so a batch
     * is bounded whatever the input holds.
     *
     * @throws IOException when reading the input fails
     */
    ParsedBatch nextBatch(int recordsMax) throws IOException;

    /** Bytes of input consumed so far (for progress reports). */
    long bytesConsumed();

    /** Closes the input stream. */
    @Override
    void close() throws IOException;

    static void checkRecordsMax(int recordsMax) {
        if (recordsMax < 1) {
            throw new IllegalArgumentException("recordsMax must be at least 1, got " + recordsMax);
        }
    }
}
