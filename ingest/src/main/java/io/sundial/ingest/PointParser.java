package io.sundial.ingest;

import io.sundial.core.Point;
import io.sundial.core.PointColumns;
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

    /**
     * As {@link #nextBatch}, but appends the valid points to {@code sink} as rows (after the rows
     * it already holds) instead of building a list of {@link Point}s. Parsers with a columnar path
     * (line protocol, CSV, JSON) fill the columns directly; others go through their points. Stops
     * early, before {@code recordsMax}, once {@link PointColumns#isFull()}.
     *
     * @throws IOException when reading the input fails
     */
    default ParsedRows nextRows(PointColumns sink, int recordsMax) throws IOException {
        ParsedBatch batch = nextBatch(recordsMax);
        for (Point point : batch.points()) {
            sink.add(point);
        }
        return new ParsedRows(batch.points().size(), batch.errors(), batch.isEndOfInput());
    }

    /**
     * From now on, appends to {@code lines} the 1-based input line each added row starts on, in
     * row order (also for the rows {@link #nextBatch} turns into points), so a write can name the
     * line of a point storage rejects. Formats without lines ignore it, and
     * {@link RowLines#line} then answers 0. Costs one store per row, so only reports ask for it.
     */
    default void recordRowLines(RowLines lines) {
        // A format without lines has nothing to record.
    }

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
