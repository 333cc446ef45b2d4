package io.sundial.storage.segment;

import static io.sundial.storage.segment.SegmentFormat.SERIES_ID_MAX;

import io.sundial.core.FieldType;
import io.sundial.storage.codec.ChunkCodec;
import io.sundial.storage.format.Checksums;
import io.sundial.storage.format.FileHeaders;
import io.sundial.storage.format.FileKind;
import io.sundial.storage.io.BigEndian;
import io.sundial.storage.io.ByteOutput;
import io.sundial.storage.io.DurableFiles;
import io.sundial.storage.io.FileChannels;
import io.sundial.storage.io.StorageIo;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.roaringbitmap.RoaringBitmap;

/**
 * Writes one segment file (docs/format/segment.md) from columns given in (seriesId, fieldId)
 * order. Streaming: chunk bodies go to the file as they are encoded, so memory is one chunk
 * body, the index and the series filter, never the file.
 *
 * <p>Usage: {@link #create}, {@link #add} per column, {@link #finish}, then install the file
 * (DurableFiles.install). {@link #close()} without {@link #finish()} abandons the file and
 * deletes it: a half-written segment is never useful. Not thread-safe.
 */
public final class SegmentWriter implements AutoCloseable {
    private enum State { OPEN, FINISHED, FAILED, CLOSED }

    private final Path file;
    private final SegmentWriterOptions options;
    private final FileChannel channel;
    private final OutputStream out;
    private final ByteOutput body = new ByteOutput(1 << 16);
    private final byte[] word = new byte[8];
    private final IndexEncoder index;
    private final RoaringBitmap seriesIds = new RoaringBitmap();
    private State state = State.OPEN;
    private long position;
    private long pointCount;
    private long minTime = Long.MAX_VALUE;
    private long maxTime = Long.MIN_VALUE;
    private boolean hasColumn;
    private long lastSeriesId;
    private int lastFieldId;

    private SegmentWriter(Path file, SegmentWriterOptions options, FileChannel channel) {
        this.file = file;
        this.options = options;
        this.channel = channel;
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), options.writeBufferBytes());
        // Ends in the temp suffix, so a crash mid-write leaves an orphan the next open sweeps away.
        this.index = new IndexEncoder(file.resolveSibling(file.getFileName() + ".index" + DurableFiles.TEMP_SUFFIX));
    }

    /** Creates (or truncates) {@code file} and writes the header. */
    public static SegmentWriter create(Path file, SegmentWriterOptions options) throws IOException {
        FileChannel channel = StorageIo.at(file).open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        SegmentWriter writer = new SegmentWriter(file, options, channel);
        try {
            writer.write(FileHeaders.encode(FileKind.SEGMENT, SegmentFormat.VERSION_CURRENT));
        } catch (IOException | RuntimeException e) {
            writer.close();
            throw e;
        }
        return writer;
    }

    /**
     * Adds one column: the first {@code count} points of the arrays. Calls must come in strictly
     * ascending (seriesId, fieldId) order and timestamps must strictly increase. Values are raw
     * words as in {@link io.sundial.core.Point} (booleans 0 or 1); {@code strings} holds the
     * values of a STRING column and {@code values} is then unused (may be null), and vice versa.
     * The column is cut into ceil(count / chunkPointsMax) chunks of near-equal size.
     *
     * @throws IllegalArgumentException when an argument or the order is wrong; the writer is
     *     unchanged and stays usable
     */
    public void add(long seriesId, int fieldId, FieldType type, long[] timestamps, long[] values, String[] strings,
                    int count) throws IOException {
        requireOpen();
        checkColumn(seriesId, fieldId, type, timestamps, values, strings, count);
        state = State.FAILED;
        int chunks = (count + options.chunkPointsMax() - 1) / options.chunkPointsMax();
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) count * c / chunks);
            int to = (int) ((long) count * (c + 1) / chunks);
            writeChunk(seriesId, fieldId, type, timestamps, values, strings, from, to);
        }
        seriesIds.add((int) seriesId);
        pointCount += count;
        minTime = Math.min(minTime, timestamps[0]);
        maxTime = Math.max(maxTime, timestamps[count - 1]);
        hasColumn = true;
        lastSeriesId = seriesId;
        lastFieldId = fieldId;
        state = State.OPEN;
    }

    private void checkColumn(long seriesId, int fieldId, FieldType type, long[] timestamps, long[] values,
                             String[] strings, int count) {
        if (seriesId < 0 || seriesId > SERIES_ID_MAX) {
            throw new IllegalArgumentException(columnName(seriesId, fieldId) + ": series id outside [0, " + SERIES_ID_MAX
                    + "], the range of the segment's series filter");
        }
        if (fieldId < 0) {
            throw new IllegalArgumentException(columnName(seriesId, fieldId) + ": negative field id");
        }
        if (hasColumn && (seriesId < lastSeriesId || (seriesId == lastSeriesId && fieldId <= lastFieldId))) {
            throw new IllegalArgumentException(columnName(seriesId, fieldId) + " added after (series " + lastSeriesId + ", field "
                    + lastFieldId + "): columns must come in strictly ascending (seriesId, fieldId) order");
        }
        if (type == null) {
            throw new IllegalArgumentException(columnName(seriesId, fieldId) + ": no field type");
        }
        if (count < 1 || timestamps == null || timestamps.length < count) {
            throw new IllegalArgumentException(columnName(seriesId, fieldId) + ": count " + count + " must be >= 1 and fit "
                    + (timestamps == null ? "the (null) timestamps" : timestamps.length + " timestamps"));
        }
        for (int i = 1; i < count; i++) {
            if (timestamps[i] <= timestamps[i - 1]) {
                throw new IllegalArgumentException(columnName(seriesId, fieldId) + ": timestamp " + timestamps[i]
                        + " at position " + i
                        + " does not follow " + timestamps[i - 1] + "; timestamps must strictly increase");
            }
        }
        if (type == FieldType.STRING) {
            checkStrings(seriesId, fieldId, strings, count);
        } else if (values == null || values.length < count) {
            throw new IllegalArgumentException(columnName(seriesId, fieldId) + ": " + count + " points but "
                    + (values == null ? "no" : values.length) + " values");
        } else if (type == FieldType.BOOLEAN) {
            for (int i = 0; i < count; i++) {
                if (values[i] != 0 && values[i] != 1) {
                    throw new IllegalArgumentException(columnName(seriesId, fieldId) + ": boolean value " + values[i]
                            + " at position " + i + " is neither 0 nor 1");
                }
            }
        }
    }

    /**
     * Built only for an error message: a flush of a million small columns (100,000 series of 10
     * fields) spent a string concatenation per column on a name it never used.
     */
    private static String columnName(long seriesId, int fieldId) {
        return "column (series " + seriesId + ", field " + fieldId + ")";
    }

    private static void checkStrings(long seriesId, int fieldId, String[] strings, int count) {
        if (strings == null || strings.length < count) {
            throw new IllegalArgumentException(columnName(seriesId, fieldId) + ": " + count + " points but "
                    + (strings == null ? "no" : strings.length) + " strings");
        }
        for (int i = 0; i < count; i++) {
            if (strings[i] == null) {
                throw new IllegalArgumentException(columnName(seriesId, fieldId) + ": null string at position " + i);
            }
        }
    }

    private void writeChunk(long seriesId, int fieldId, FieldType type, long[] timestamps, long[] values,
                            String[] strings, int from, int to) throws IOException {
        body.reset();
        ChunkCodec.encode(type, timestamps, values, strings, from, to, body);
        int crc = Checksums.crc32c(body.array(), 0, body.size());
        out.write(body.array(), 0, body.size());
        BigEndian.putInt(word, 0, crc);
        out.write(word, 0, SegmentFormat.CHUNK_CRC_BYTES);
        position += body.size() + SegmentFormat.CHUNK_CRC_BYTES;
        ChunkStats stats = ChunkStats.compute(type, values, from, to);
        index.append(seriesId, fieldId, type, to - from, body.size(), timestamps[from], timestamps[to - 1], stats);
    }

    /**
     * Writes the index, the series filter and the footer, then fsyncs and closes the file. The
     * caller installs it afterwards (DurableFiles.install).
     */
    public SegmentSummary finish() throws IOException {
        requireOpen();
        state = State.FAILED;
        long indexOffset = position;
        // IndexEncoder checked the size against INDEX_BYTES_MAX, an int, on every append.
        int indexBytes = (int) index.size();
        int indexCrc = index.writeTo(out);
        index.close();
        position += indexBytes;
        seriesIds.runOptimize();
        ByteBuffer filter = ByteBuffer.allocate(seriesIds.serializedSizeInBytes());
        seriesIds.serialize(filter);
        byte[] filterBytes = filter.array();
        long filterOffset = position;
        write(filterBytes, 0, filterBytes.length);
        SegmentFooter footer = new SegmentFooter(SegmentFormat.VERSION_CURRENT, indexOffset, indexBytes, indexCrc,
                filterOffset, filterBytes.length, Checksums.crc32c(filterBytes, 0, filterBytes.length),
                index.entryCount(), seriesIds.getCardinality(), pointCount, minTime, maxTime);
        write(footer.encode());
        out.flush();
        channel.force(true);
        channel.close();
        state = State.FINISHED;
        return new SegmentSummary(SegmentFormat.VERSION_CURRENT, position, pointCount, index.entryCount(),
                footer.seriesCount(), minTime, maxTime, indexBytes, filterBytes.length);
    }

    /** Abandons an unfinished file (closing and deleting it); does nothing after {@link #finish()}. */
    @Override
    public void close() throws IOException {
        if (state == State.FINISHED || state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        try (index) {
            channel.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    private void write(byte[] bytes, int offset, int length) throws IOException {
        // A write longer than the stream's buffer goes straight to the channel: slice it (see FileChannels).
        for (int done = 0; done < length; ) {
            int n = Math.min(FileChannels.SLICE_BYTES_MAX, length - done);
            out.write(bytes, offset + done, n);
            done += n;
        }
        position += length;
    }

    private void requireOpen() {
        switch (state) {
            case OPEN -> { }
            case FINISHED -> throw new IllegalStateException("segment " + file + " is already finished");
            case FAILED -> throw new IllegalStateException("segment " + file
                    + " failed during an earlier write; close it (which deletes it) and write it again");
            case CLOSED -> throw new IllegalStateException("segment " + file + " is closed");
        }
    }
}
